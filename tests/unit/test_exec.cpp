// exec_argv replaces the process, so each case runs it in a forked child.
#include "catch_compat.hpp"
#include "sys/exec.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "core/error.hpp"

namespace {

struct Outcome {
  int status = 0;
  std::string error;    // what exec_argv threw, written by the child
  std::string stdout_;  // what the child (and the program it became) printed
};

std::string read_all(int fd)
{
  std::string s;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return s;
}

// Forks; the child prints "before " through both stdio and iostream unflushed, then calls
// exec_argv(argv) and reports a thrown Error through a close-on-exec pipe.
Outcome run_exec(const std::vector<std::string>& argv)
{
  int err_pipe[2], out_pipe[2];
  REQUIRE(::pipe2(err_pipe, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
  std::fflush(stdout);  // the child must not inherit Catch's buffered output
  std::cout.flush();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    std::setvbuf(stdout, nullptr, _IOFBF, 4096);
    std::printf("before ");
    std::cout << "c++ ";
    try {
      mvh::exec_argv(argv);
    } catch (const mvh::Error& e) {
      const std::string m = e.what();
      (void)!::write(err_pipe[1], m.data(), m.size());
      ::_exit(99);
    }
    ::_exit(98);
  }
  ::close(err_pipe[1]);
  ::close(out_pipe[1]);
  Outcome o;
  o.error = read_all(err_pipe[0]);
  o.stdout_ = read_all(out_pipe[0]);
  REQUIRE(::waitpid(pid, &o.status, 0) == pid);
  return o;
}

}  // namespace

TEST_CASE("exec_argv replaces the process after flushing its output", "[exec]")
{
  const auto o = run_exec({"sh", "-c", "echo \"became $0 $1\"", "x", "y"});
  CHECK(o.error.empty());
  CHECK(o.stdout_ == "before c++ became x y\n");
  REQUIRE(WIFEXITED(o.status));
  CHECK(WEXITSTATUS(o.status) == 0);
}

TEST_CASE("exec_argv passes on the program's exit status", "[exec]")
{
  const auto o = run_exec({"false"});
  REQUIRE(WIFEXITED(o.status));
  CHECK(WEXITSTATUS(o.status) == 1);
  CHECK(o.error.empty());
}

TEST_CASE("exec_argv throws naming the program when it cannot run", "[exec]")
{
  const auto o = run_exec({"mvh-no-such-program", "arg"});
  REQUIRE(WIFEXITED(o.status));
  CHECK(WEXITSTATUS(o.status) == 99);
  CHECK(o.error ==
        "cannot run 'mvh-no-such-program': No such file or directory; is it installed and on "
        "PATH?");
  CHECK(o.stdout_ == "before c++ ");  // flushed even though the exec failed
}
