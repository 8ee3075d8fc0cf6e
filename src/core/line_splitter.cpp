#include "core/line_splitter.hpp"

namespace mvh {
namespace {

void emit(std::string_view line, const LineSplitter::Sink& on_line)
{
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  on_line(line);
}

}  // namespace

void LineSplitter::feed(std::string_view chunk, const Sink& on_line)
{
  while (!chunk.empty()) {
    const auto nl = chunk.find('\n');
    const auto take = nl == std::string_view::npos ? chunk.size() : nl;
    const auto room = max_line_ - pending_.size();
    if (take > room) {
      // The line would exceed max_line: emit what fits now, continue with the rest.
      pending_.append(chunk.substr(0, room));
      chunk.remove_prefix(room);
      emit(pending_, on_line);
      pending_.clear();
      continue;
    }
    if (nl == std::string_view::npos) {
      pending_.append(chunk);
      return;
    }
    if (pending_.empty()) {
      emit(chunk.substr(0, nl), on_line);
    } else {
      pending_.append(chunk.substr(0, nl));
      emit(pending_, on_line);
      pending_.clear();
    }
    chunk.remove_prefix(nl + 1);
  }
}

void LineSplitter::finish(const Sink& on_line)
{
  if (pending_.empty()) return;
  emit(pending_, on_line);
  pending_.clear();
}

}  // namespace mvh
