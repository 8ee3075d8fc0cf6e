#pragma once
// A file's text with its name: byte offsets to line:col, and diagnostics with a caret.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/profiles.hpp"

namespace mvh {

// The text with its name, for locations and caret diagnostics.
class SourceText {
 public:
  SourceText(std::string_view text, std::string_view path);
  std::string_view text() const { return text_; }
  // Line and column of a byte offset; a '\r' before '\n' does not count as a column.
  SourceLoc loc(std::size_t offset) const;
  // "line:col" of offset.
  std::string loc_str(std::size_t offset) const;
  // Throws Error(Exit::config): "path:line:col: what\n<the line>\n<spaces>^".
  [[noreturn]] void fail(std::size_t offset, const std::string& what) const;

 private:
  std::string_view text_;
  std::string path_;
  std::vector<std::size_t> line_starts_;  // offset of the first byte of each line
};

}  // namespace mvh
