#pragma once
// Showing untrusted text (names, config values) inside one-line messages (pure).
#include <string>
#include <string_view>

namespace mvh {

// s with control bytes (< 0x20, 0x7f) escaped as \n, \r, \t or \xHH so a message stays on one
// line and cannot drive the terminal; other bytes (UTF-8 included) are kept. Never fails.
std::string printable(std::string_view s);

// s in double quotes as TOML and C write it: printable(s) plus \" and \\ escaped. Never fails.
std::string quoted(std::string_view s);

}  // namespace mvh
