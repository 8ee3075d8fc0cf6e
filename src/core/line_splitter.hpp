#pragma once
// Splitting a byte stream into lines for display (pure; used by run_streaming).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mvh {

// Accumulates chunks and emits complete lines without their "\n"; a "\r" right before the
// "\n" is dropped too (CRLF output reads like LF output). A line longer than max_line is
// emitted in max_line pieces so that a program printing without newlines cannot grow memory
// without bound. Never fails.
class LineSplitter {
 public:
  using Sink = std::function<void(std::string_view line)>;

  explicit LineSplitter(std::size_t max_line = std::size_t{64} * 1024) : max_line_(max_line) {}

  // Emits every line completed by chunk, in order.
  void feed(std::string_view chunk, const Sink& on_line);

  // Emits the unterminated rest, if any (the last line of output without "\n").
  void finish(const Sink& on_line);

  // True when bytes of an unfinished line are held.
  bool has_partial() const { return !pending_.empty(); }

 private:
  std::size_t max_line_;
  std::string pending_;
};

}  // namespace mvh
