#pragma once
// Tokenizer for the Nix language, enough to find the structure of profiles.nix without
// evaluating it: strings (with their interpolations) are single tokens, everything else is
// split like Nix's own lexer (longest match between identifier, path and URI).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_text.hpp"

namespace mvh {

enum class TokKind {
  id,       // identifier, including `or` and `null`; keywords are TokKind::keyword
  keyword,  // if then else assert with let in rec inherit
  integer,  // decimal digits
  number,   // float
  string,   // "..." or ''...''
  path,     // ./x.nix, /abs, ~/x, <nixpkgs>, a/b
  uri,      // https://example.org
  punct,    // { } ${ [ ] ( ) ; : , . = @ ? ... and operators
  eof,
};

struct Token {
  TokKind kind = TokKind::eof;
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  std::string text;           // identifier/keyword/punct spelling; decoded value of a string
  bool interpolated = false;  // string or path containing ${...}
  bool indented = false;      // ''...'' string (text is not decoded)
  bool is(TokKind k, std::string_view t) const { return kind == k && text == t; }
  bool punct(std::string_view t) const { return is(TokKind::punct, t); }
};

// Produces tokens on demand; lexical errors (unterminated string or comment, stray
// character) throw through SourceText::fail.
class NixLexer {
 public:
  explicit NixLexer(const SourceText& src) : src_(src), text_(src.text()) {}
  // The next token after whitespace and comments; TokKind::eof at the end, repeatedly.
  Token next();

 private:
  // Identifier, keyword, number, path or URI at s; a token with end == s when none starts there.
  Token lex_word(std::size_t s);
  // Punctuation or operator at s; throws on a character Nix does not know.
  Token lex_operator(std::size_t s);
  Token lex_string(std::size_t start);
  Token lex_indented_string(std::size_t start);
  // Skips the tokens of a ${...} starting at pos (just after "${"); returns the offset after
  // the matching '}'. Throws when the file ends first or strings nest deeper than
  // k_max_string_nesting (each level recurses, so the stack bounds it).
  std::size_t skip_interpolation(std::size_t pos, std::size_t open);
  std::size_t path_len(std::size_t pos) const;
  std::size_t uri_len(std::size_t pos) const;
  std::size_t number_len(std::size_t pos) const;
  void skip_space_and_comments();
  char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  const SourceText& src_;
  std::string_view text_;
  std::size_t pos_ = 0;
  int string_depth_ = 0;  // strings with ${...} this lexer is inside of
};

// How deep "${"${"…"}"}" may nest; Nix itself gives up ("memory exhausted") near 5000.
inline constexpr int k_max_string_nesting = 256;

// True for the words Nix reserves (they cannot be bare attribute names).
bool is_nix_keyword(std::string_view s);

}  // namespace mvh
