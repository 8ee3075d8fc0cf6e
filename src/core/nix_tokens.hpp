#pragma once
// A token stream over NixLexer with lookahead and the structural helpers a parser that does
// not evaluate needs: skipping one expression by balanced brackets and attribute paths.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/nix_lexer.hpp"

namespace mvh {

struct AttrKey {
  std::optional<std::string> name;  // nullopt for a dynamic key ("${...}" or "a${b}")
  std::size_t begin = 0;
};

class NixTokens {
 public:
  NixTokens(std::string_view text, std::string_view path) : src_(text, path), lex_(src_)
  {
    // One allocation for a usual file (about a token per 5 bytes) instead of a doubling
    // series: the shell hook parses profiles.nix on every `cd`, and each fresh heap page
    // costs a page fault.
    toks_.reserve(text.size() / 4 + 16);
  }
  const SourceText& src() const { return src_; }
  // The k-th token ahead (eof repeatedly past the end). The reference is valid until the next
  // peek or take (which may read more tokens); copy the token to keep it longer.
  const Token& peek(std::size_t k = 0);
  // The current token, then moves on (never past eof); valid as for peek.
  const Token& take();
  // Moves on by n tokens (after looking at them with peek).
  void advance(std::size_t n) { pos_ += n; }
  // End offset of the last token taken (0 before the first).
  std::size_t prev_end() const { return pos_ == 0 ? 0 : toks_[pos_ - 1].end; }
  // Index (relative to the current token) of the '}' closing the '{' at relative k; nullopt
  // when the file ends first.
  std::optional<std::size_t> matching_close(std::size_t k);
  // Skips one expression: stops before a ';', a closing bracket or 'in' that does not belong
  // to it, or at the end of the file. Throws on unbalanced brackets and on an '='; in_binding:
  // the expression is an attribute value, so `a = 1 b = 2` means a ';' is missing after 1.
  void skip_expr(bool in_binding = true);
  // Reads `a.b."c"` up to (not including) the '='; throws when no attribute name is there.
  std::vector<AttrKey> attr_path();
  // Takes the expected punctuation or throws "expected 'p' <context>" at the end of the last
  // token.
  void expect(std::string_view p, const std::string& context);
  // Takes the punctuation p when it is next; false (nothing taken) otherwise. Lets a caller
  // build expect()'s context only when it is needed. Never fails.
  bool accept(std::string_view p);
  [[noreturn]] void fail(std::size_t offset, const std::string& what) const
  {
    src_.fail(offset, what);
  }
  // "'x'" for a token, for messages; "end of file" at the end.
  static std::string describe(const Token& t);

 private:
  SourceText src_;
  NixLexer lex_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
};

}  // namespace mvh
