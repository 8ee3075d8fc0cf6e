#pragma once
// profiles.nix: the model, the native parser and the byte-splicing insert (pure).
// The parser understands the file shape of HOST.md: an optional function header ("{ }:",
// "{ ... }:", "args:"), an optional "let ... in", then the top-level attribute set literal.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

struct SourceLoc {
  int line = 0;  // 1-based
  int col = 0;   // 1-based, in bytes
};

struct ProfileEntry {
  std::string name;  // attribute name, unquoted
  SourceLoc loc;     // where the key starts (unset for entries read from nix-instantiate)
  std::optional<std::string> ip_address;
  std::optional<std::string> tap_id;
  std::optional<std::string> mac;
  std::optional<std::int64_t> vsock_cid;  // nullopt also for `vsockCid = null`
  bool has_vsock_field = false;           // the entry sets vsockCid (to a number or null)
};

struct ProfilesFile {
  std::vector<ProfileEntry> entries;  // in file order
  // Set when some construct is not a literal the parser can read (e.g. `ipAddress = base + "5"`,
  // or a top level that is not an attrset literal): "line:col: <construct>". The caller then
  // asks nix-instantiate for the values (profiles_from_json) if it can.
  std::optional<std::string> needs_eval;
  // Splice information; editable is false when the top level is not an attrset literal.
  bool editable = false;
  std::size_t insert_offset = 0;    // byte offset where a new entry block is inserted
  std::size_t open_offset = 0;      // byte offset of the top-level '{'
  std::string entry_indent = "  ";  // indentation of entry keys
  std::string field_indent = "    ";
  bool blank_line_between = true;   // entries are separated by one empty line
  std::string newline = "\n";       // "\r\n" when the file uses CRLF
  bool uses_vsock = false;          // some entry sets vsockCid
};

// Parses text read from path. Syntax errors throw Error(Exit::config) with
// "path:line:col: <what>\n<the line>\n<caret>". Never throws for valid Nix it cannot read
// literally: that is reported through needs_eval.
ProfilesFile parse_profiles(std::string_view text, std::string_view path);

// Entries from the JSON printed by `nix-instantiate --eval --strict --json -E 'import F {}'`.
// Throws Error(Exit::config) naming path when the JSON is not an object of objects.
std::vector<ProfileEntry> profiles_from_json(std::string_view json, std::string_view path);

struct NewProfile {
  std::string name;
  std::string ip_address;
  std::string tap_id;
  std::string mac;
  std::optional<std::int64_t> vsock_cid;  // written only when set
};

// The text of file with the entry inserted before the closing brace of the top-level set,
// using the file's own indentation, blank-line spacing and newline style; every other byte is
// kept. The key is quoted only when Nix requires it. Requires file.editable.
std::string insert_profile(std::string_view text, const ProfilesFile& file, const NewProfile& p);

// The Nix spelling of an attribute name: bare when it is a valid identifier and not a keyword,
// otherwise a quoted string with ", \, ${ escaped.
std::string nix_attr_name(std::string_view name);

// A Nix string literal for s (with escapes), e.g. "\"a\\${b}\"".
std::string nix_string(std::string_view s);

}  // namespace mvh
