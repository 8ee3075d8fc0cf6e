#include "sys/run_as_user.hpp"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace mvh {
namespace {

void write_all(int fd, const std::string& s)
{
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd)
{
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// In the child: drop for good, run f, report "<exit code> <message>" on the pipe. The child
// leaves with _exit: no atexit handlers or stdio flushes of the parent's state run twice.
[[noreturn]] void child(int fd, const UserIdentity& who, const std::function<void()>& f)
{
  std::string verdict = "0 ";
  if (::setgroups(who.groups.size(), who.groups.data()) != 0 ||
      ::setresgid(who.gid, who.gid, who.gid) != 0 || ::setresuid(who.uid, who.uid, who.uid) != 0) {
    verdict = std::to_string(static_cast<int>(Exit::failure)) +
              " cannot take the calling user's identity (uid " + std::to_string(who.uid) +
              ") to read their files: " + std::strerror(errno);
  } else {
    try {
      f();
    } catch (const Error& e) {
      verdict = std::to_string(static_cast<int>(e.code())) + " " + e.what();
    } catch (const std::exception& e) {
      verdict = std::to_string(static_cast<int>(Exit::failure)) + " " + e.what();
    }
  }
  write_all(fd, verdict);
  ::close(fd);
  ::_exit(0);
}

}  // namespace

void run_as_user(const UserIdentity& who, const std::function<void()>& f)
{
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0)
    throw failure(std::string("cannot create a pipe to check your files: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(p[0]);
    ::close(p[1]);
    throw failure(std::string("cannot fork to check your files: ") + std::strerror(e));
  }
  if (pid == 0) {
    ::close(p[0]);
    child(p[1], who, f);
  }
  ::close(p[1]);
  const std::string verdict = read_all(p[0]);
  ::close(p[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw failure("the check of your files (as uid " + std::to_string(who.uid) +
                  ") was killed by signal " + std::to_string(WTERMSIG(status)) +
                  "; nothing was changed");
  const auto space = verdict.find(' ');
  if (space == std::string::npos)
    throw failure("the check of your files (as uid " + std::to_string(who.uid) +
                  ") ended without a verdict; nothing was changed");
  const int code = std::atoi(verdict.substr(0, space).c_str());
  if (code != 0) throw Error(static_cast<Exit>(code), verdict.substr(space + 1));
}

}  // namespace mvh
