#pragma once
// The parser behind parse_profiles (internal to src/core): state and steps, split over
// profiles_parse.cpp (structure) and profiles_layout.cpp (indentation and spacing).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/nix_tokens.hpp"
#include "core/profiles.hpp"

namespace mvh {

// All steps throw Error(Exit::config) through SourceText::fail on a syntax error.
class ProfilesParser {
 public:
  ProfilesParser(std::string_view text, std::string_view path) : text_(text), toks_(text, path) {}
  // The whole file; see parse_profiles.
  ProfilesFile parse();

 private:
  struct EntryState {
    std::size_t index = 0;      // into ProfilesFile::entries
    std::size_t first_key = 0;  // offset of the first definition
    bool non_literal = false;   // defined as `name = <expr>` with expr not a set literal
    std::map<std::string, std::size_t, std::less<>> fields;  // known field -> offset of its key
  };

  // A binding of the top-level set, for spacing detection.
  struct TopBinding {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string group;  // first attribute name ("" when unknown)
  };

  // Takes one function header ("{ ... }:", "args:", "args@{ }:"); false when none is next.
  bool skip_header();
  // The bindings after `let`, through `in`.
  void skip_let_bindings(const Token& let);
  // The top-level `{ ... }`, then its layout.
  void parse_top_set();
  // One binding of the top-level set; returns its first attribute name ("" when unknown).
  std::string parse_top_binding();
  // `{ field = value; ... }` of one entry (the next token is `{` or `rec`).
  void parse_entry_body(EntryState& e);
  // The value of a known field after its '='; needs_eval when it is not a literal.
  void read_field(EntryState& e, const std::string& field, std::size_t key_off);
  // Any value and its ';'.
  void skip_binding_value();
  // The entry called name, created at key_off on first use.
  EntryState& entry(const std::string& name, std::size_t key_off);
  // Records the first construct that needs nix-instantiate.
  void need_eval(std::size_t off, const std::string& what);
  // Leading whitespace of the line of off when only whitespace precedes off on it.
  std::optional<std::string> indent_before(std::size_t off) const;
  // Leading whitespace of the line containing off.
  std::string line_indent(std::size_t off) const;
  // Fills the splice fields of out_ from the set between open and close.
  void detect_layout(std::size_t open, std::size_t close);

  std::string_view text_;
  NixTokens toks_;
  ProfilesFile out_;
  std::map<std::string, EntryState, std::less<>> entries_;
  std::vector<TopBinding> bindings_;
  std::optional<std::string> entry_indent_, field_indent_;
};

}  // namespace mvh
