// run_capture / run_inherit / run_streaming against real programs (sh only in tests).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/process.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using mvh::Error;

using mvh::test::no_children;
using mvh::test::sh;
// Each test file its own prefix, so a leftover directory says where it came from.
struct TempDir : mvh::test::TempDir {
  TempDir() : mvh::test::TempDir("mvh-process") {}
};

namespace {

std::string message_of(const std::function<void()>& f)
{
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("run_capture separates stdout, stderr and the exit code", "[process]")
{
  const auto r = mvh::run_capture(sh("echo out; echo err >&2; exit 3"));
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK(r.exit_code == 3);
  CHECK(r.signal == 0);
  CHECK_FALSE(r.ok());
  CHECK(no_children());
}

TEST_CASE("run_capture pipes input to the child", "[process]")
{
  const auto r = mvh::run_capture({"cat"}, {}, "hello\nworld");
  CHECK(r.out == "hello\nworld");
  CHECK(r.ok());
}

TEST_CASE("run_capture does not deadlock on large input and output", "[process]")
{
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 100) big[i] = '\n';
  const auto r =
      mvh::run_capture(sh("cat; cat /dev/null >&2; head -c 300000 /dev/zero >&2"), {}, big);
  CHECK(r.out == big);
  CHECK(r.err.size() == 300000);
  CHECK(r.ok());
}

TEST_CASE("run_capture survives a child that does not read its input", "[process]")
{
  const auto r = mvh::run_capture(sh("exit 0"), {}, std::string(1 << 20, 'y'));
  CHECK(r.ok());
  sigset_t pending;
  sigpending(&pending);
  CHECK_FALSE(sigismember(&pending, SIGPIPE));
}

TEST_CASE("run_capture runs in the given directory", "[process]")
{
  TempDir dir;
  const auto r = mvh::run_capture({"pwd"}, dir.path.string());
  CHECK(r.out == fs::canonical(dir.path).string() + "\n");
}

TEST_CASE("run_capture reports a signal apart from an exit code", "[process]")
{
  const auto killed = mvh::run_capture(sh("kill -9 $$"));
  CHECK(killed.signal == 9);
  CHECK_FALSE(killed.ok());
  const auto exited = mvh::run_capture(sh("exit 9"));
  CHECK(exited.signal == 0);
  CHECK(exited.exit_code == 9);
}

TEST_CASE("process errors name the program, the cause and the fix", "[process]")
{
  CHECK(message_of([] {
          mvh::run_capture({"mvh-no-such-program", "x"});
        }) == "cannot run 'mvh-no-such-program': not found on PATH; is it installed?");
  CHECK(message_of([] { mvh::run_inherit({"mvh-no-such-program"}); }) ==
        "cannot run 'mvh-no-such-program': not found on PATH; is it installed?");
  CHECK(message_of([] { mvh::run_streaming({"mvh-no-such-program"}, {}); }) ==
        "cannot run 'mvh-no-such-program': not found on PATH; is it installed?");
  CHECK(message_of([] { mvh::run_capture({"pwd"}, "/nonexistent-mvh-dir"); }) ==
        "cannot run 'pwd' in '/nonexistent-mvh-dir': No such file or directory; check that the "
        "directory exists and is accessible");

  TempDir dir;
  const auto script = dir.path / "not-executable";
  std::ofstream(script) << "#!/bin/sh\n";
  fs::permissions(script, fs::perms::owner_read | fs::perms::owner_write);
  CHECK(message_of([&] { mvh::run_capture({script.string()}); }) ==
        "cannot run '" + script.string() +
            "': Permission denied; check that it is an executable program");
  CHECK(no_children());  // the failed child was reaped
}

TEST_CASE("run_inherit returns the exit status and runs in the given directory", "[process]")
{
  TempDir dir;
  const auto r = mvh::run_inherit(
      {"sh", "-c", "test \"$(pwd -P)\" = \"$0\" && exit 4", fs::canonical(dir.path).string()},
      dir.path.string());
  CHECK(r.exit_code == 4);
  CHECK(r.signal == 0);
  CHECK(r.out.empty());
  CHECK(no_children());
}

TEST_CASE("children inherit no other descriptor and a default SIGPIPE", "[process]")
{
  const int fd = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  REQUIRE(fd > 2);
  struct sigaction ignore {
  }, before{};
  ignore.sa_handler = SIG_IGN;
  REQUIRE(::sigaction(SIGPIPE, &ignore, &before) == 0);

  const std::string probe = "test -e /proc/$$/fd/" + std::to_string(fd) +
                            " && echo leaked || echo clean; yes | head -n 1";
  const auto r = mvh::run_capture(sh(probe));
  CHECK(r.out == "clean\ny\n");
  CHECK(r.err.empty());  // `yes` died of SIGPIPE instead of reporting EPIPE

  std::vector<std::string> lines;
  mvh::StreamOptions opts;
  opts.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  mvh::run_streaming(sh(probe), opts);
  CHECK(lines == std::vector<std::string>{"clean", "y"});

  ::sigaction(SIGPIPE, &before, nullptr);
  ::close(fd);
}
