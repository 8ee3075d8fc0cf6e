#include "core/text_diff.hpp"

#include <algorithm>
#include <vector>

namespace mvh {
namespace {

std::vector<std::string_view> split_lines(std::string_view s)
{
  std::vector<std::string_view> lines;
  while (!s.empty()) {
    auto nl = s.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(s);
      break;
    }
    lines.push_back(s.substr(0, nl + 1));
    s.remove_prefix(nl + 1);
  }
  return lines;
}

void add_line(std::string& out, char mark, std::string_view line)
{
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view path)
{
  if (before == after) return {};
  auto a = split_lines(before);
  auto b = split_lines(after);
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const size_t context = 3;
  size_t start = prefix > context ? prefix - context : 0;
  size_t a_end = std::min(a.size(), a.size() - suffix + context);
  size_t b_end = std::min(b.size(), b.size() - suffix + context);
  std::string out = "--- " + std::string(path) + "\n+++ " + std::string(path) + " (new)\n";
  out += "@@ -" + std::to_string(start + 1) + "," + std::to_string(a_end - start) + " +" +
         std::to_string(start + 1) + "," + std::to_string(b_end - start) + " @@\n";
  for (size_t i = start; i < prefix; ++i) add_line(out, ' ', a[i]);
  for (size_t i = prefix; i < a.size() - suffix; ++i) add_line(out, '-', a[i]);
  for (size_t i = prefix; i < b.size() - suffix; ++i) add_line(out, '+', b[i]);
  for (size_t i = a.size() - suffix; i < a_end; ++i) add_line(out, ' ', a[i]);
  return out;
}

}  // namespace mvh
