#pragma once
// Finding the SSH version line among the first lines a server sends (pure). RFC 4253 §4.2
// allows other lines before it, as long as they do not start with "SSH-".
#include <cstddef>
#include <string>

namespace mvh {

// What the bytes read so far decided about a connection.
struct BannerVerdict {
  enum class Kind { undecided, ready, not_ssh };
  Kind kind = Kind::undecided;
  std::string text;  // ready: the version line without CR LF; not_ssh: why, a lowercase phrase
};

// Reads one connection's lines until one decides. A verdict other than undecided is final:
// feed no more bytes after it. Never fails.
class SshBannerReader {
 public:
  explicit SshBannerReader(std::size_t max_line) : max_line_(max_line) {}

  // Consumes data up to the byte that decides (the rest is ignored). Returns ready for
  // "SSH-2.0-..." or "SSH-1.99-...", not_ssh for another "SSH-" version or a line longer than
  // max_line bytes, else undecided.
  BannerVerdict feed(const char* data, std::size_t n);
  // True once a complete line that does not start with "SSH-" arrived.
  bool other_seen() const { return other_seen_; }
  // The first such line, printable and at most 60 characters (plus "..."); empty before.
  const std::string& first_other() const { return first_other_; }

 private:
  std::size_t max_line_;
  std::string line_;  // the line being received, at most max_line_ bytes
  bool other_seen_ = false;
  std::string first_other_;
};

}  // namespace mvh
