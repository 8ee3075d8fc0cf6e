#include "core/source_text.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/printable.hpp"

namespace mvh {

SourceText::SourceText(std::string_view text, std::string_view path) : text_(text), path_(path)
{
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourceLoc SourceText::loc(std::size_t offset) const
{
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
  return SourceLoc{static_cast<int>(it - line_starts_.begin()) + 1,
                   static_cast<int>(offset - *it) + 1};
}

std::string SourceText::loc_str(std::size_t offset) const
{
  SourceLoc l = loc(offset);
  return std::to_string(l.line) + ":" + std::to_string(l.col);
}

void SourceText::fail(std::size_t offset, const std::string& what) const
{
  // At the end of the file, point just after the last visible character rather than at an
  // empty last line.
  if (offset >= text_.size()) {
    offset = text_.size();
    while (offset > 0 &&
           std::string_view(" \t\r\n").find(text_[offset - 1]) != std::string_view::npos)
      --offset;
  }
  SourceLoc l = loc(offset);
  std::size_t start = line_starts_[static_cast<std::size_t>(l.line - 1)];
  std::size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  // Control bytes would garble the terminal (and a NUL would cut the message short); the caret
  // counts the columns of the escaped text, one per UTF-8 character, tabs kept.
  const std::string_view raw = text_.substr(start, end - start);
  std::string line = printable(raw, Keep::tab);
  std::string caret;
  for (char c :
       printable(raw.substr(0, offset > start ? std::min(offset, end) - start : 0), Keep::tab)) {
    if (c == '\t')
      caret += '\t';
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)  // one column per UTF-8 char
      caret += ' ';
  }
  caret += '^';
  throw Error(Exit::config, printable(path_) + ":" + std::to_string(l.line) + ":" +
                                std::to_string(l.col) + ": " + printable(what) + "\n" + line +
                                "\n" + caret);
}

}  // namespace mvh
