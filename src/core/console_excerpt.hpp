#pragma once
// Which of a crashed VM run's console lines to show (pure): the tail, unless the guest kernel
// panicked earlier in the run, then the panic line with a little context, because the trace and
// register dump that follow a panic push its reason out of any short tail.
#include <cstddef>
#include <string>
#include <vector>

namespace mvh {

// At most max_lines of lines (oldest first): the last ones, or, when a line contains
// "Kernel panic - not syncing" before them, up to 4 lines before the last such line, that line
// and what follows, then "... (N more lines)". Never fails; fewer lines in, fewer out.
std::vector<std::string> console_excerpt(const std::vector<std::string>& lines,
                                         std::size_t max_lines);

}  // namespace mvh
