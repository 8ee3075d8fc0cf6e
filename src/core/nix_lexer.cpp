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
  if (string_depth_ >= k_max_string_nesting)
    src_.fail(open, "'${' interpolations nested more than " + std::to_string(k_max_string_nesting) +
                        " levels deep; microvm-here does not read this far, move the inner "
                        "parts into let bindings");
  NixLexer inner(src_);
  inner.pos_ = pos;
  inner.string_depth_ = string_depth_ + 1;
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
    if (c == '\\' || (c == '$' && at(i + 1) == '$')) {
      i += 2;  // an escape, or "$$" (so "$${" is a literal "$${")
    } else if (c == '$' && at(i + 1) == '{') {
      t.interpolated = true;
      i = skip_interpolation(i + 2, i);
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

Token NixLexer::lex_word(std::size_t s)
{
  auto token = [&](TokKind k, std::size_t n) {
    return Token{k, s, s + n, std::string(text_.substr(s, n)), false, false};
  };
  if (at(s) == '<') {  // <nixpkgs/lib>
    std::size_t i = s + 1;
    while (is_path_char(at(i)) || (at(i) == '/' && is_path_char(at(i + 1)))) ++i;
    return i > s + 1 && at(i) == '>' ? token(TokKind::path, i + 1 - s) : token(TokKind::eof, 0);
  }
  std::size_t id = 0;
  if (is_id_start(at(s)))
    while (is_id_char(at(s + id))) ++id;
  std::size_t num = number_len(s), path = path_len(s), uri = uri_len(s);
  // Longest match wins; on a tie the earlier rule of Nix's lexer (identifier, number, path).
  std::size_t best = std::max({id, num, path, uri});
  if (best == 0) return token(TokKind::eof, 0);
  if (best == id) {
    Token t = token(TokKind::id, id);
    if (is_lexer_keyword(t.text)) t.kind = TokKind::keyword;
    return t;
  }
  if (best == num) {
    Token t = token(TokKind::integer, num);
    if (t.text.find_first_not_of("0123456789") != std::string::npos) t.kind = TokKind::number;
    return t;
  }
  if (best == uri) return token(TokKind::uri, uri);
  // A path may continue with interpolations and more path characters: ./a/${b}.nix
  std::size_t i = s + path;
  bool interpolated = false;
  while (at(i) == '$' && at(i + 1) == '{') {
    interpolated = true;
    i = skip_interpolation(i + 2, i);
    while (is_path_char(at(i)) || (at(i) == '/' && (is_path_char(at(i + 1)) || at(i + 1) == '$')))
      ++i;
  }
  Token t = token(TokKind::path, i - s);
  t.interpolated = interpolated;
  return t;
}

Token NixLexer::lex_operator(std::size_t s)
{
  static constexpr std::array<std::string_view, 11> ops = {
      "...", "${", "==", "!=", "<=", ">=", "&&", "||", "->", "//", "++"};
  std::string_view rest = text_.substr(s);
  std::size_t n = 0;
  for (std::string_view op : ops)
    if (rest.substr(0, op.size()) == op) {
      n = op.size();
      break;
    }
  if (n == 0) {
    char c = rest[0];
    if (std::string_view("{}[]();:,.=@?+-*/<>!").find(c) == std::string_view::npos) {
      auto b = static_cast<unsigned char>(c);
      std::string shown =
          (b < 0x20 || b >= 0x7f) ? "byte " + std::to_string(b) : "'" + std::string(1, c) + "'";
      src_.fail(s, "unexpected character " + shown);
    }
    n = 1;
  }
  return Token{TokKind::punct, s, s + n, std::string(rest.substr(0, n)), false, false};
}

Token NixLexer::next()
{
  skip_space_and_comments();
  std::size_t s = pos_;
  Token t{TokKind::eof, s, s, "", false, false};
  if (s >= text_.size()) return t;
  if (text_[s] == '"')
    t = lex_string(s);
  else if (text_[s] == '\'' && at(s + 1) == '\'')
    t = lex_indented_string(s);
  else if (t = lex_word(s); t.end == s)
    t = lex_operator(s);
  pos_ = t.end;
  return t;
}

}  // namespace mvh
