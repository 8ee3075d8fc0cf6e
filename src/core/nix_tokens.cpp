#include "core/nix_tokens.hpp"

namespace mvh {

namespace {

// What skip_expr is inside of.
struct Frame {
  std::string opener;  // "{", "${", "[", "(", "let", "with", "assert"
  std::size_t begin = 0;
};

std::string closer_of(const std::string& opener)
{
  if (opener == "{" || opener == "${") return "}";
  if (opener == "[") return "]";
  if (opener == "(") return ")";
  if (opener == "let") return "in";
  return ";";
}

// Tokens after which an expression can be complete.
bool can_end_value(const Token& t)
{
  if (t.kind == TokKind::keyword) return false;
  if (t.kind == TokKind::punct) return t.text == "}" || t.text == "]" || t.text == ")";
  return t.kind != TokKind::eof;
}

bool is_key_token(const Token& t)
{
  return t.kind == TokKind::id || (t.kind == TokKind::string && !t.indented);
}

}  // namespace

const Token& NixTokens::peek(std::size_t k)
{
  while (toks_.size() <= pos_ + k) {
    if (!toks_.empty() && toks_.back().kind == TokKind::eof) return toks_.back();
    toks_.push_back(lex_.next());
  }
  return toks_[pos_ + k];
}

const Token& NixTokens::take()
{
  const Token& t = peek();
  if (t.kind != TokKind::eof) ++pos_;
  return t;
}

std::string NixTokens::describe(const Token& t)
{
  if (t.kind == TokKind::eof) return "end of file";
  if (t.kind == TokKind::string) return "string";
  std::string s = t.text.size() > 30 ? t.text.substr(0, 30) + "..." : t.text;
  return "'" + s + "'";
}

std::optional<std::size_t> NixTokens::matching_close(std::size_t k)
{
  int depth = 0;
  for (std::size_t i = k;; ++i) {
    const Token& t = peek(i);
    if (t.kind == TokKind::eof) return std::nullopt;
    if (t.punct("{") || t.punct("${")) ++depth;
    if (t.punct("}") && --depth == 0) return i;
  }
}

void NixTokens::expect(std::string_view p, const std::string& context)
{
  if (accept(p)) return;
  fail(prev_end(), "expected '" + std::string(p) + "' " + context);
}

bool NixTokens::accept(std::string_view p)
{
  if (!peek().punct(p)) return false;
  take();
  return true;
}

void NixTokens::skip_expr(bool in_binding)
{
  std::vector<Frame> st;
  for (;;) {
    Token t = peek();
    bool closer = t.punct("}") || t.punct("]") || t.punct(")");
    if (t.kind == TokKind::eof) {
      if (st.empty()) return;
      fail(t.begin, "unexpected end of file: missing '" + closer_of(st.back().opener) +
                        "' for the '" + st.back().opener + "' at " + src_.loc_str(st.back().begin));
    }
    if (st.empty() && (closer || t.punct(";") || t.is(TokKind::keyword, "in"))) return;
    if (st.empty() && t.punct("=")) {
      // `a = 1 b = 2;`: the '=' belongs to the next binding, so a ';' is missing before its
      // attribute path.
      std::size_t j = pos_;
      if (in_binding && j > 0 && is_key_token(toks_[j - 1])) {
        --j;
        while (j >= 2 && toks_[j - 1].punct(".") && is_key_token(toks_[j - 2])) j -= 2;
        if (j > 0 && can_end_value(toks_[j - 1]))
          fail(toks_[j - 1].end, "expected ';' after attribute value");
      }
      fail(t.begin, "unexpected '='");
    }
    // Openers of a nesting level; a `let` without `{` (not `let { }`) and `with`/`assert` are
    // closed by `in` or `;`.
    const bool opens = t.punct("{") || t.punct("${") || t.punct("[") || t.punct("(") ||
                       (t.is(TokKind::keyword, "let") && !peek(1).punct("{")) ||
                       t.is(TokKind::keyword, "with") || t.is(TokKind::keyword, "assert");
    if (opens) {
      st.push_back({t.text, t.begin});
    } else if (closer || t.is(TokKind::keyword, "in")) {
      if (closer_of(st.back().opener) != t.text)
        fail(t.begin, "unexpected '" + t.text + "': expected '" + closer_of(st.back().opener) +
                          "' for the '" + st.back().opener + "' at " +
                          src_.loc_str(st.back().begin));
      st.pop_back();
    } else if (t.punct(";")) {
      if (st.back().opener == "with" || st.back().opener == "assert") st.pop_back();
    }
    take();
  }
}

std::vector<AttrKey> NixTokens::attr_path()
{
  std::vector<AttrKey> keys;
  for (;;) {
    Token t = peek();
    if (t.kind == TokKind::id || (t.kind == TokKind::string && !t.indented)) {
      take();
      keys.push_back({t.interpolated ? std::nullopt : std::optional<std::string>(t.text), t.begin});
    } else if (t.punct("${")) {
      take();
      skip_expr();
      expect("}", "to close the '${' at " + src_.loc_str(t.begin));
      keys.push_back({std::nullopt, t.begin});
    } else {
      fail(t.begin, "unexpected " + describe(t) + ": expected an attribute name");
    }
    if (!peek().punct(".")) return keys;
    take();
  }
}

}  // namespace mvh
