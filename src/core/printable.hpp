#pragma once
// The one escaping function for untrusted text (paths, names, config values, peer and journal
// text) shown on a terminal (pure). Everything we print that we did not write passes here.
#include <string>
#include <string_view>

namespace mvh {

// What printable() leaves as is besides ordinary text.
enum class Keep {
  none,     // \n, \r, \t all escaped: the text stays on one line
  tab,      // a tab stays (a source line shown under a caret)
  newline,  // a newline stays (a multi-line journal message); \r and the rest escaped
  layout,   // tab and newline stay: a whole diagnostic, whose parts were escaped already
};

// s with everything that could drive a terminal or hide what it shows escaped, so another
// user's path or a repository's name cannot move the cursor, change colours, set the window
// title or reorder text: C0 controls and DEL as \n, \r, \t or \xHH; C1 controls (U+0080 to
// U+009F, e.g. the one-byte CSI U+009B) and bidirectional controls (U+061C, U+200E, U+200F,
// U+202A to U+202E, U+2066 to U+2069) as \uHHHH; bytes that are not valid UTF-8 as \xHH. Other
// UTF-8 is kept, and so is the backslash, so printable(printable(s)) == printable(s): every
// diagnostic passes here once more on its way to stderr. Never fails.
std::string printable(std::string_view s, Keep keep = Keep::none);

// s in double quotes as TOML and C write it: printable(s) plus \" and \\ escaped. Never fails.
std::string quoted(std::string_view s);

}  // namespace mvh
