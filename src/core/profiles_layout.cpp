// How the top-level set is laid out, so an inserted entry looks like its neighbours.
#include "core/profiles_parser.hpp"

namespace mvh {

std::optional<std::string> ProfilesParser::indent_before(std::size_t off) const
{
  std::size_t start = off;
  while (start > 0 && (text_[start - 1] == ' ' || text_[start - 1] == '\t')) --start;
  if (start > 0 && text_[start - 1] != '\n') return std::nullopt;
  return std::string(text_.substr(start, off - start));
}

std::string ProfilesParser::line_indent(std::size_t off) const
{
  std::size_t start = text_.rfind('\n', off == 0 ? 0 : off - 1);
  start = (start == std::string_view::npos || off == 0) ? 0 : start + 1;
  std::size_t end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return std::string(text_.substr(start, end - start));
}

void ProfilesParser::detect_layout(std::size_t open, std::size_t close)
{
  out_.editable = true;
  out_.open_offset = open;
  std::string outer = line_indent(open);
  out_.entry_indent = entry_indent_.value_or(outer + "  ");
  std::string unit = "  ";
  if (out_.entry_indent.size() > outer.size() && out_.entry_indent.rfind(outer, 0) == 0)
    unit = out_.entry_indent.substr(outer.size());
  out_.field_indent = field_indent_.value_or(out_.entry_indent + unit);
  // The blank-line style is the majority over gaps between different entries (ties: blank).
  int blank = 0, tight = 0;
  for (std::size_t i = 1; i < bindings_.size(); ++i) {
    if (!bindings_[i].group.empty() && bindings_[i].group == bindings_[i - 1].group) continue;
    std::string_view gap =
        text_.substr(bindings_[i - 1].end, bindings_[i].begin - bindings_[i - 1].end);
    bool has_blank = false;
    std::size_t nl = gap.find('\n');
    while (nl != std::string_view::npos && !has_blank) {
      std::size_t next = gap.find('\n', nl + 1);
      if (next == std::string_view::npos) break;
      has_blank =
          gap.substr(nl + 1, next - nl - 1).find_first_not_of(" \t\r") == std::string_view::npos;
      nl = next;
    }
    (has_blank ? blank : tight)++;
  }
  out_.blank_line_between = blank >= tight;
  std::size_t line_start = text_.rfind('\n', close == 0 ? 0 : close - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  bool own_line =
      line_start > open && text_.substr(line_start, close - line_start).find_first_not_of(" \t") ==
                               std::string_view::npos;
  out_.insert_offset = own_line ? line_start : close;
}

}  // namespace mvh
