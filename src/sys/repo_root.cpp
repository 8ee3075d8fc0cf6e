#include "sys/repo_root.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/read_limits.hpp"

namespace mvh {
namespace {

// A `.git` file is a pointer only when it says so; anything else (an editor's leftover, a
// placeholder) does not make a repository, and git ignores it too.
bool is_gitdir_file(const std::string& path)
{
  static constexpr std::string_view prefix = "gitdir:";
  // O_NONBLOCK: a FIFO swapped in after the caller's stat must not block the `cd` hook; the
  // type is checked again on what was opened.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return false;
  }
  // Only the prefix is read, whatever the file's size: a huge `.git` costs nothing.
  static_assert(prefix.size() <= k_gitdir_file_max_bytes);
  char buf[prefix.size()];
  std::size_t got = 0;
  while (got < sizeof buf) {
    const ssize_t n = ::read(fd, buf + got, sizeof buf - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return std::string_view(buf, got) == prefix;
}

bool holds_git(const std::string& dir)
{
  const std::string dot_git = dir == "/" ? "/.git" : dir + "/.git";
  struct stat st {};
  if (::stat(dot_git.c_str(), &st) != 0) return false;
  if (S_ISDIR(st.st_mode)) return true;
  return S_ISREG(st.st_mode) && is_gitdir_file(dot_git);
}

bool same_dir(const std::string& dir, const std::string& home)
{
  if (home.empty()) return false;
  if (dir == home) return true;
  char resolved[PATH_MAX];
  return ::realpath(home.c_str(), resolved) != nullptr && dir == resolved;
}

}  // namespace

RepoRoot find_repo_root(const std::string& start, bool start_is_physical, const std::string& home)
{
  char resolved[PATH_MAX];
  struct stat st {};
  const bool copied =
      start_is_physical && !start.empty() && start.front() == '/' && start.size() < sizeof resolved;
  if (copied) std::memcpy(resolved, start.c_str(), start.size() + 1);
  if ((!copied && ::realpath(start.c_str(), resolved) == nullptr) || ::stat(resolved, &st) != 0) {
    throw usage_error("cannot read '" + printable(start) + "': " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    throw usage_error("cannot read '" + printable(start) + "': " + std::strerror(ENOTDIR));
  }
  const std::string real = resolved;
  std::string dir = real;
  while (true) {
    if (holds_git(dir)) {
      if (same_dir(dir, home)) return {real, false, true};
      return {dir, true};
    }
    if (dir == "/") return {real, false};
    const auto slash = dir.rfind('/');
    dir.resize(slash == 0 ? 1 : slash);
  }
}

}  // namespace mvh
