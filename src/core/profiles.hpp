#pragma once
// profiles.nix: the model, the native parser and the byte-splicing insert (pure).
// The parser understands the file shape of HOST.md: optional function headers ("{ }:",
// "{ ... }:", "args:", "args@{ ... }:", "{ ... }@args:"), optional "let ... in", "with e;" and
// "assert e;", then the top-level attribute set literal ("rec {" too). Values of fields it does
// not know are skipped by balanced tokens (any Nix expression). Dotted keys are read and merged
// as Nix merges them: `foo.ipAddress = "…";` sets foo's field, `foo = { … }; foo.mac = …;` is one
// entry; a field defined twice is the error "attribute 'foo.mac' already defined at L:C".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  // Byte ranges [first, second) of the top-level bindings that define the entry, in file order
  // (`foo = { … };`, `foo.mac = …;`), from the key to the ';'. Native parse only.
  std::vector<std::pair<std::size_t, std::size_t>> spans;
};

struct ProfilesFile {
  std::vector<ProfileEntry> entries;  // in file order
  // Set when some construct is not a literal the parser can read: "line:col: <construct>" for
  // the first of: a top level that is not an attrset literal, or with an expression after it
  // (`{ … } // x`); top-level `inherit`; a dynamic name (`${x}`, "a${b}"); an entry that is not
  // a set literal (`foo = mkVm { … };`, `foo = { … } // x;`); ipAddress/tapId/mac that is not a
  // plain string literal (interpolation, ''…'', `a + b`); vsockCid that is not an integer or
  // null literal; `inherit ipAddress;` in an entry; `foo.ipAddress.x = …`. The caller then asks
  // nix-instantiate for the values (profiles_from_json) if it can.
  std::optional<std::string> needs_eval;
  // Splice information; editable is false when the top level is not an attrset literal.
  bool editable = false;
  // Byte offset where a new entry block is inserted: the start of the line of the closing '}'
  // when only whitespace precedes it there (after any trailing comments), else the '}' itself.
  std::size_t insert_offset = 0;
  std::size_t open_offset = 0;      // byte offset of the top-level '{'
  std::string entry_indent = "  ";  // indentation of entry keys
  std::string field_indent = "    ";
  bool blank_line_between = true;  // entries are separated by one empty line
  std::string newline = "\n";      // "\r\n" when the file uses CRLF
  bool uses_vsock = false;         // some entry sets vsockCid
};

// Parses text read from path. Syntax errors throw Error(Exit::config) with
// "path:line:col: <what>\n<the line>\n<caret>" (control bytes in the line shown as '?'). Never
// throws for valid Nix it cannot read literally: that is reported through needs_eval. Not a
// full Nix parser: some invalid Nix inside skipped values passes (nix-instantiate reports it).
ProfilesFile parse_profiles(std::string_view text, std::string_view path);

// Entries from the JSON printed by `nix-instantiate --eval --strict --json -E 'import F {}'`.
// Names in JSON (sorted) order; loc unset; unknown fields ignored. Throws Error(Exit::config)
// naming path when the JSON is not an object of objects or a known field has the wrong type.
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
// kept: result == text[0:off] + block + text[off:] with off = file.insert_offset. The key is
// quoted only when Nix requires it; fields ipAddress, tapId, mac, then vsockCid when set. A
// blank line goes before the entry when the file separates entries so and the line above is
// not blank already. Throws Error(Exit::failure) unless file.editable.
std::string insert_profile(std::string_view text, const ProfilesFile& file, const NewProfile& p);

// The text of file without the entry called name: each of its top-level bindings is cut out,
// with its line when nothing else is on that line, and a blank line it leaves doubled (or next
// to the opening or closing brace) goes with it; every other byte is kept. Throws
// Error(Exit::failure) when the file is not editable or has no literal binding of name.
std::string remove_profile(std::string_view text, const ProfilesFile& file, std::string_view name);

// The Nix spelling of an attribute name: bare when it is a valid identifier and not a keyword,
// otherwise a quoted string with ", \, ${ escaped.
std::string nix_attr_name(std::string_view name);

// A Nix string literal for s (with escapes), e.g. "\"a\\${b}\"".
std::string nix_string(std::string_view s);

}  // namespace mvh
