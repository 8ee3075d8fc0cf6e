#include "core/console_excerpt.hpp"

#include <algorithm>

namespace mvh {
namespace {

constexpr std::size_t k_context_before = 4;

}  // namespace

std::vector<std::string> console_excerpt(const std::vector<std::string>& lines,
                                         std::size_t max_lines)
{
  if (max_lines == 0) return {};
  const std::size_t size = lines.size();
  const std::size_t tail_start = size > max_lines ? size - max_lines : 0;
  std::size_t panic = size;
  for (std::size_t i = size; i-- > 0;) {
    if (lines[i].find("Kernel panic - not syncing") != std::string::npos) {
      panic = i;
      break;
    }
  }
  // No panic, or the tail shows it anyway: the plain tail is the most recent truth.
  if (panic == size || panic >= tail_start)
    return {lines.begin() + static_cast<std::ptrdiff_t>(tail_start), lines.end()};
  // One slot goes to the "... more lines" marker.
  const std::size_t room = max_lines > 1 ? max_lines - 1 : 1;
  const std::size_t before = std::min({k_context_before, panic, room / 2});
  const std::size_t first = panic - before;
  const std::size_t last = std::min(size, first + room);
  std::vector<std::string> out(lines.begin() + static_cast<std::ptrdiff_t>(first),
                               lines.begin() + static_cast<std::ptrdiff_t>(last));
  if (last < size && max_lines > 1)
    out.push_back("... (" + std::to_string(size - last) + " more lines)");
  return out;
}

}  // namespace mvh
