#pragma once
// Internal to src/sys/process*.cpp: what spawning a child with Boost.Process v1 (1.74) needs
// beyond its defaults. Include only from those files (Boost.Process is slow to compile).
// Boost 1.74's posix/handles.hpp uses these without including them.
#include <dirent.h>

#include <memory>

#include "sys/boost_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "core/error.hpp"

namespace mvh::detail {

// The program argv[0] names: itself when it contains '/', else its first match on PATH.
// Throws Error(Exit::failure) "cannot run '<argv0>': not found on PATH; is it installed?".
std::string resolve_program(const std::vector<std::string>& argv);

// Throws Error(Exit::failure) "cannot run '<argv0>' in '<dir>': <cause>; ..." unless dir is
// empty or a directory we can enter.
void check_start_dir(const std::string& argv0, const std::string& dir);

// The error for a child that could not be started:
// "cannot run '<argv0>': <strerror>; check that it is an executable program".
Error spawn_error(const std::string& argv0, const std::error_code& ec);

// Splits a waitpid() status into exit_code (or -1 when it is neither exit nor signal) and
// signal (0 unless killed by one). Never fails.
void decode_wait_status(int status, int& exit_code, int& signal);

// Child side: a chdir that fails the spawn (1.74's start_dir ignores chdir errors), every
// inherited descriptor above 2 marked close-on-exec (a pipe of another child or a socket of
// ours must not leak into this one and delay someone's EOF), SIGPIPE back to default (we may
// ignore it). Parent side: reap the child when the spawn failed (1.74 leaves it a zombie).
struct SpawnSetup : bp::extend::handler {
  const char* dir = nullptr;  // null: stay in our directory

  template <class Executor>
  void on_exec_setup(Executor& exec) const
  {
    if (dir != nullptr && ::chdir(dir) != 0) {
      exec.set_error(std::error_code(errno, std::system_category()), "chdir");
      ::_exit(127);
    }
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      struct rlimit lim {};
      int top = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < 65536
                    ? static_cast<int>(lim.rlim_cur)
                    : 65536;
      for (int fd = 3; fd < top; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    ::signal(SIGPIPE, SIG_DFL);
  }

  template <class Executor>
  void on_error(Executor& exec, const std::error_code&) const
  {
    if (exec.pid <= 0) return;
    ::kill(exec.pid, SIGKILL);  // only matters if it is still running (a parent-side failure)
    while (::waitpid(exec.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
};

}  // namespace mvh::detail
