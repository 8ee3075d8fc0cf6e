#include "core/nix_lexer.hpp"

#include <algorithm>
#include <array>

#include "core/error.hpp"

namespace mvh {

namespace {

bool is_id_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}
bool is_id_char(char c)
{
  return is_id_start(c) || is_digit(c) || c == '\'' || c == '-';
}
bool is_path_char(char c)
{
  return is_id_start(c) || is_digit(c) || c == '.' || c == '-' || c == '+';
}
bool is_uri_char(char c)
{
  return is_id_start(c) || is_digit(c) ||
         std::string_view("%/?:@&=+$,-_.!~*'").find(c) != std::string_view::npos;
}

// Lexer keywords; `or` is left an identifier because Nix accepts it as an attribute name.
bool is_lexer_keyword(std::string_view s)
{
  static constexpr std::array<std::string_view, 9> words = {"if",  "then", "else", "assert", "with",
                                                            "let", "in",   "rec",  "inherit"};
  return std::find(words.begin(), words.end(), s) != words.end();
}

// Decodes the escapes of a "..." string body as Nix does (\n \r \t, \x = x, CR LF = LF).
std::string unescape(std::string_view s)
{
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char e = s[++i];
      out += e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
    } else if (c == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool is_nix_keyword(std::string_view s)
{
  return s == "or" || is_lexer_keyword(s);
}

SourceText::SourceText(std::string_view text, std::string_view path) : text_(text), path_(path)
{
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourceLoc SourceText::loc(std::size_t offset) const
{
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
  return SourceLoc{static_cast<int>(it - line_starts_.begin()) + 1,
                   static_cast<int>(offset - *it) + 1};
}

std::string SourceText::loc_str(std::size_t offset) const
{
  SourceLoc l = loc(offset);
  return std::to_string(l.line) + ":" + std::to_string(l.col);
}

void SourceText::fail(std::size_t offset, const std::string& what) const
{
  // At the end of the file, point just after the last visible character rather than at an
  // empty last line.
  if (offset >= text_.size()) {
    offset = text_.size();
    while (offset > 0 &&
           std::string_view(" \t\r\n").find(text_[offset - 1]) != std::string_view::npos)
      --offset;
  }
  SourceLoc l = loc(offset);
  std::size_t start = line_starts_[static_cast<std::size_t>(l.line - 1)];
  std::size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  std::string_view line = text_.substr(start, end - start);
  std::string caret;
  for (std::size_t i = start; i < offset && i < end; ++i) {
    char c = text_[i];
    if (c == '\t')
      caret += '\t';
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)  // one column per UTF-8 char
      caret += ' ';
  }
  caret += '^';
  throw Error(Exit::config, path_ + ":" + std::to_string(l.line) + ":" + std::to_string(l.col) +
                                ": " + what + "\n" + std::string(line) + "\n" + caret);
}

void NixLexer::skip_space_and_comments()
{
  for (;;) {
    char c = at(pos_);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos_;
    } else if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    } else if (c == '/' && at(pos_ + 1) == '*') {
      std::size_t close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) src_.fail(pos_, "unterminated comment");
      pos_ = close + 2;
    } else {
      return;
    }
  }
}

std::size_t NixLexer::path_len(std::size_t pos) const
{
  std::size_t i = pos;
  if (at(i) == '~') {
    ++i;
    if (at(i) != '/') return 0;
  } else {
    while (is_path_char(at(i))) ++i;
  }
  bool slash = false;
  for (;;) {
    if (at(i) == '/' && is_path_char(at(i + 1))) {
      ++i;
      while (is_path_char(at(i))) ++i;
      slash = true;
    } else if (slash && at(i) == '$' && at(i + 1) == '{') {
      return i - pos;  // the caller continues through interpolations
    } else if (at(i) == '/' && at(i + 1) == '$' && at(i + 2) == '{') {
      return i + 1 - pos;
    } else {
      break;
    }
  }
  return slash ? i - pos : 0;
}

std::size_t NixLexer::uri_len(std::size_t pos) const
{
  auto scheme_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '+' ||
           c == '-' || c == '.';
  };
  if (!scheme_char(at(pos)) || is_digit(at(pos)) || at(pos) == '+' || at(pos) == '-' ||
      at(pos) == '.')
    return 0;
  std::size_t i = pos + 1;
  while (scheme_char(at(i))) ++i;
  if (at(i) != ':' || !is_uri_char(at(i + 1))) return 0;
  ++i;
  while (is_uri_char(at(i))) ++i;
  return i - pos;
}

std::size_t NixLexer::number_len(std::size_t pos) const
{
  // INT [0-9]+ ; FLOAT (([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?
  std::size_t i = pos;
  bool is_float = false;
  if (at(i) >= '1' && at(i) <= '9') {
    while (is_digit(at(i))) ++i;
    if (at(i) == '.') {
      ++i;
      while (is_digit(at(i))) ++i;
      is_float = true;
    }
  } else if ((at(i) == '0' && at(i + 1) == '.' && is_digit(at(i + 2))) ||
             (at(i) == '.' && is_digit(at(i + 1)))) {
    i += at(i) == '0' ? 2 : 1;
    while (is_digit(at(i))) ++i;
    is_float = true;
  } else {
    while (is_digit(at(i))) ++i;
  }
  if (is_float && (at(i) == 'e' || at(i) == 'E')) {
    std::size_t e = i + 1;
    if (at(e) == '+' || at(e) == '-') ++e;
    if (is_digit(at(e))) {
      i = e;
      while (is_digit(at(i))) ++i;
    }
  }
  return i - pos;
}

std::size_t NixLexer::skip_interpolation(std::size_t pos, std::size_t open)
{
  NixLexer inner(src_);
  inner.pos_ = pos;
  int depth = 0;
  for (;;) {
    Token t = inner.next();
    if (t.kind == TokKind::eof)
      src_.fail(t.begin,
                "unexpected end of file: missing '}' for the '${' at " + src_.loc_str(open));
    if (t.punct("{") || t.punct("${")) ++depth;
    if (t.punct("}") && depth-- == 0) return t.end;
  }
}

Token NixLexer::lex_string(std::size_t start)
{
  Token t{TokKind::string, start, start, "", false, false};
  std::size_t i = start + 1;
  std::size_t piece = i;
  std::string raw;
  for (;;) {
    if (i >= text_.size()) src_.fail(start, "unterminated string");
    char c = text_[i];
    if (c == '"') break;
    if (c == '\\') {
      i += 2;
    } else if (c == '$' && at(i + 1) == '{') {
      t.interpolated = true;
      i = skip_interpolation(i + 2, i);
    } else if (c == '$' && at(i + 1) == '$') {
      i += 2;  // "$${" is a literal "$${"
    } else {
      ++i;
    }
  }
  raw = std::string(text_.substr(piece, i - piece));
  t.end = i + 1;
  t.text = t.interpolated ? raw : unescape(raw);
  return t;
}

Token NixLexer::lex_indented_string(std::size_t start)
{
  Token t{TokKind::string, start, start, "", false, true};
  std::size_t i = start + 2;
  for (;;) {
    if (i >= text_.size()) src_.fail(start, "unterminated string");
    if (text_[i] == '\'' && at(i + 1) == '\'') {
      char n = at(i + 2);
      if (n == '\'' || n == '$') {
        i += 3;  // ''' and ''$ are escapes
      } else if (n == '\\') {
        i += 4;  // ''\x
      } else {
        break;
      }
    } else if (text_[i] == '$' && at(i + 1) == '{') {
      t.interpolated = true;
      i = skip_interpolation(i + 2, i);
    } else if (text_[i] == '$' && at(i + 1) == '$') {
      i += 2;
    } else {
      ++i;
    }
  }
  t.text = std::string(text_.substr(start + 2, i - start - 2));
  t.end = i + 2;
  return t;
}

Token NixLexer::next()
{
  skip_space_and_comments();
  std::size_t s = pos_;
  Token t{TokKind::eof, s, s, "", false, false};
  if (s >= text_.size()) return t;
  char c = text_[s];
  if (c == '"') {
    t = lex_string(s);
  } else if (c == '\'' && at(s + 1) == '\'') {
    t = lex_indented_string(s);
  } else if (c == '<') {
    std::size_t i = s + 1;
    while (is_path_char(at(i)) || (at(i) == '/' && is_path_char(at(i + 1)))) ++i;
    if (i > s + 1 && at(i) == '>' && at(i - 1) != '/') {
      t = Token{TokKind::path, s, i + 1, std::string(text_.substr(s, i + 1 - s)), false, false};
    } else {
      std::size_t n = at(s + 1) == '=' ? 2 : 1;
      t = Token{TokKind::punct, s, s + n, std::string(text_.substr(s, n)), false, false};
    }
  } else {
    std::size_t id = 0;
    if (is_id_start(c))
      while (is_id_char(at(s + id))) ++id;
    std::size_t num = number_len(s);
    std::size_t path = path_len(s), uri = uri_len(s);
    std::size_t best = std::max({id, num, path, uri});
    if (best > 0 && best == id) {
      std::string w(text_.substr(s, id));
      t = Token{is_lexer_keyword(w) ? TokKind::keyword : TokKind::id, s, s + id, w, false, false};
    } else if (best > 0 && best == num) {
      std::string w(text_.substr(s, num));
      bool is_int = w.find_first_not_of("0123456789") == std::string::npos;
      t = Token{is_int ? TokKind::integer : TokKind::number, s, s + num, w, false, false};
    } else if (best > 0 && best == path) {
      std::size_t i = s + path;
      t.kind = TokKind::path;
      // A path may continue with interpolations and more path characters: ./a/${b}.nix
      while (at(i) == '$' && at(i + 1) == '{') {
        t.interpolated = true;
        i = skip_interpolation(i + 2, i);
        while (is_path_char(at(i)) ||
               (at(i) == '/' && (is_path_char(at(i + 1)) || at(i + 1) == '$')))
          ++i;
      }
      t.end = i;
      t.text = std::string(text_.substr(s, i - s));
    } else if (best > 0) {
      t = Token{TokKind::uri, s, s + uri, std::string(text_.substr(s, uri)), false, false};
    } else {
      static constexpr std::array<std::string_view, 10> ops = {
          "...", "${", "==", "!=", ">=", "&&", "||", "->", "//", "++"};
      std::string_view rest = text_.substr(s);
      std::size_t n = 0;
      for (std::string_view op : ops)
        if (rest.substr(0, op.size()) == op) {
          n = op.size();
          break;
        }
      if (n == 0) {
        if (std::string_view("{}[]();:,.=@?+-*/>!").find(c) == std::string_view::npos) {
          auto b = static_cast<unsigned char>(c);
          std::string shown =
              (b < 0x20 || b >= 0x7f) ? "byte " + std::to_string(b) : "'" + std::string(1, c) + "'";
          src_.fail(s, "unexpected character " + shown);
        }
        n = 1;
      }
      t = Token{TokKind::punct, s, s + n, std::string(rest.substr(0, n)), false, false};
    }
  }
  pos_ = t.end;
  return t;
}

}  // namespace mvh
