#include "sys/capped_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/printable.hpp"

namespace mvh {
namespace {

[[noreturn]] void cannot_read(const std::string& path, int e)
{
  throw failure("cannot read " + printable(path) + ": " + std::strerror(e));
}

}  // namespace

std::optional<std::string> read_file_capped(const std::string& path, const ReadLimit& limit)
{
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. Cleared after the
  // open, so a pipe with a writer (--config <(...)) is read whole.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    cannot_read(path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || ::fcntl(fd, F_SETFL, 0) != 0) {
    const int e = errno;
    ::close(fd);
    cannot_read(path, e);
  }
  if (S_ISREG(st.st_mode) && static_cast<unsigned long long>(st.st_size) > limit.max_bytes) {
    ::close(fd);
    throw Error(limit.code, too_large_message(printable(path), st.st_size, limit));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const std::size_t want = std::min(sizeof buf, limit.max_bytes + 1 - out.size());
    const ssize_t n = want == 0 ? 0 : ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      cannot_read(path, e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (out.size() > limit.max_bytes)
    throw Error(limit.code, too_large_message(printable(path), 0, limit));
  return out;
}

}  // namespace mvh
