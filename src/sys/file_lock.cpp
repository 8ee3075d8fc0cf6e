#include "sys/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "sys/fs.hpp"

namespace mvh {
namespace {

long read_holder(int fd)
{
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::strtol(buf, nullptr, 10) : 0;
}

}  // namespace

FileLock::FileLock(const std::string& lock_path, const std::function<void(long)>& on_wait)
{
  make_dirs(dir_name(lock_path), 0700);
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0 && errno == EISDIR) {
    // A directory is locked as it is (flock works on any open file): nothing to record in it.
    fd_ = ::open(lock_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    is_dir_ = fd_ >= 0;
  }
  if (fd_ < 0) throw failure("cannot open lock file " + lock_path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      int e = errno;
      ::close(fd_);
      throw failure("cannot lock " + lock_path + ": " + std::strerror(e));
    }
    if (on_wait) on_wait(is_dir_ ? 0 : read_holder(fd_));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        int e = errno;
        ::close(fd_);
        throw failure("cannot lock " + lock_path + ": " + std::strerror(e));
      }
    }
  }
  // Record ourselves for the next waiter; the content is informational only.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (!is_dir_ && ::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

FileLock::~FileLock()
{
  if (fd_ >= 0) {
    if (!is_dir_) (void)!::ftruncate(fd_, 0);
    ::close(fd_);  // closing drops the flock
  }
}

}  // namespace mvh
