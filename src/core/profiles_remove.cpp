// remove_profile: the entry's bindings are cut out of the text, so every byte the user wrote
// elsewhere (comments, spacing, other entries) stays as it was.
#include <algorithm>

#include "core/error.hpp"
#include "core/profiles.hpp"

namespace mvh {

namespace {

bool blank(std::string_view s)
{
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::size_t line_start(std::string_view text, std::size_t off)
{
  std::size_t nl = off == 0 ? std::string_view::npos : text.rfind('\n', off - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// End of the line starting at off, past its '\n' (or the end of the text).
std::size_t line_end(std::string_view text, std::size_t off)
{
  std::size_t nl = text.find('\n', off);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

// Cuts [begin, end) out of text; with its whole line when only whitespace shares that line.
// Returns the offset where the cut was (a line start when a whole line went).
std::size_t cut(std::string& text, std::size_t begin, std::size_t end, bool& whole_line)
{
  std::string_view v = text;
  const std::size_t ls = line_start(v, begin);
  std::size_t after = end;
  while (after < v.size() && (v[after] == ' ' || v[after] == '\t')) ++after;
  const bool line_done = after == v.size() || v[after] == '\n' || v[after] == '\r';
  whole_line = blank(v.substr(ls, begin - ls)) && line_done;
  if (whole_line) {
    begin = ls;
    after = line_end(v, after);
  } else if (line_done) {
    while (begin > ls && (v[begin - 1] == ' ' || v[begin - 1] == '\t')) --begin;
  }
  text.erase(begin, after - begin);
  return begin;
}

// After a whole-line cut at off: a blank line above and a blank line below become one; a blank
// line left next to the opening '{' or the closing '}' goes.
void tidy_blank_lines(std::string& text, std::size_t off)
{
  std::string_view v = text;
  if (off == 0) return;
  const std::size_t prev = line_start(v, off - 1);
  const std::string_view above = v.substr(prev, off - prev);
  const std::size_t next_end = line_end(v, off);
  const std::string_view below = v.substr(off, next_end - off);
  const std::size_t below_text = below.find_first_not_of(" \t\r\n");
  const bool below_closes = below_text != std::string_view::npos && below[below_text] == '}';
  std::string_view above_trim = above.substr(0, above.find_last_not_of(" \t\r\n") + 1);
  const bool above_opens = !above_trim.empty() && above_trim.back() == '{';
  if (blank(above) && below_closes)
    text.erase(prev, off - prev);
  else if ((blank(above) || above_opens) && blank(below) && next_end > off)
    text.erase(off, next_end - off);
}

}  // namespace

std::string remove_profile(std::string_view text, const ProfilesFile& file, std::string_view name)
{
  auto it = std::find_if(file.entries.begin(), file.entries.end(),
                         [&](const ProfileEntry& e) { return e.name == name; });
  if (!file.editable || it == file.entries.end() || it->spans.empty())
    throw Error(Exit::failure, "cannot remove profile '" + std::string(name) +
                                   "': the profiles file has no literal top-level binding of it");
  std::string out(text);
  // From the last binding back, so earlier offsets stay valid.
  for (auto s = it->spans.rbegin(); s != it->spans.rend(); ++s) {
    if (s->first >= s->second || s->second > out.size())
      throw Error(Exit::failure,
                  "internal error: bad span for profile '" + std::string(name) + "'");
    bool whole_line = false;
    const std::size_t at = cut(out, s->first, s->second, whole_line);
    if (whole_line) tidy_blank_lines(out, at);
  }
  return out;
}

}  // namespace mvh
