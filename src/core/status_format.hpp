#pragma once
// Formatting of the one-line terminal status (pure; StatusLine in src/sys draws it).
#include <cstddef>
#include <string>
#include <string_view>

namespace mvh {

// Makes text safe to draw inside one terminal line: ANSI escape sequences (CSI, OSC, two-byte
// ESC x) are removed, other control characters (tab, CR, C1 controls) become a space and bytes
// that are not valid UTF-8 become '?'. Never fails.
std::string sanitize_for_terminal(std::string_view text);

// Terminal columns of valid UTF-8 text: combining marks count 0, East Asian wide and emoji
// code points 2, everything else 1 (an invalid byte counts 1). Never fails.
std::size_t display_width(std::string_view utf8);

// text unchanged when it fits in width columns; otherwise the longest prefix of whole code
// points that fits in width - 1 columns followed by "…". Empty when width is 0. Never fails.
std::string truncate_to_width(std::string_view utf8, std::size_t width);

// "phase — detail" (just "phase" when detail is blank), sanitized, detail trimmed, cut to width
// columns. Never fails.
std::string format_status(std::string_view phase, std::string_view detail, std::size_t width);

}  // namespace mvh
