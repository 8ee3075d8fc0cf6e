// run_streaming: the rebuild runner, against real programs (sh only in tests).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/process.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using mvh::test::no_children;
using mvh::test::sh;
// Each test file its own prefix, so a leftover directory says where it came from.
struct TempDir : mvh::test::TempDir {
  TempDir() : mvh::test::TempDir("mvh-stream") {}
};

namespace {

std::string slurp(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Collected {
  std::vector<std::string> lines;
  mvh::StreamOptions opts;
  explicit Collected(const fs::path& log = {})
  {
    opts.log_path = log.string();
    opts.on_line = [this](std::string_view l) { lines.emplace_back(l); };
  }
};

void test_handler(int) {}

}  // namespace

TEST_CASE("run_streaming splits merged output into lines and logs every byte", "[process]")
{
  TempDir dir;
  const auto log = dir.path / "logs" / "deep" / "rebuild.log";
  Collected c(log);
  const auto r =
      mvh::run_streaming(sh("echo one; echo two >&2; printf 'crlf\\r\\n\\nlast'"), c.opts);
  CHECK(r.exit_code == 0);
  CHECK(r.signal == 0);
  CHECK_FALSE(r.interrupted);
  CHECK(c.lines == std::vector<std::string>{"one", "two", "crlf", "", "last"});
  CHECK(slurp(log) == "one\ntwo\ncrlf\r\n\nlast");
  CHECK((fs::status(log).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));

  // A second run appends.
  Collected again(log);
  mvh::run_streaming(sh("echo more; exit 7"), again.opts);
  CHECK(slurp(log) == "one\ntwo\ncrlf\r\n\nlastmore\n");
  CHECK(no_children());
}

TEST_CASE("run_streaming reports the exit code, a signal and runs in cwd", "[process]")
{
  TempDir dir;
  Collected c;
  c.opts.cwd = dir.path.string();
  const auto r = mvh::run_streaming(sh("pwd -P; exit 5"), c.opts);
  CHECK(r.exit_code == 5);
  CHECK(c.lines == std::vector<std::string>{fs::canonical(dir.path).string()});

  Collected k;
  const auto killed = mvh::run_streaming(sh("echo bye; kill -TERM $$"), k.opts);
  CHECK(killed.signal == SIGTERM);
  CHECK_FALSE(killed.interrupted);
  CHECK(k.lines == std::vector<std::string>{"bye"});
}

TEST_CASE("run_streaming gives the child /dev/null as stdin and its own process group", "[process]")
{
  Collected c;
  mvh::run_streaming(sh("cat; cut -d' ' -f5 /proc/$$/stat; echo $$"), c.opts);
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0] == c.lines[1]);  // the child leads its own group
  CHECK(c.lines[0] != std::to_string(::getpgrp()));
}

TEST_CASE("run_streaming calls on_tick while the child runs", "[process]")
{
  Collected c;
  int ticks = 0;
  c.opts.on_tick = [&] { ++ticks; };
  mvh::run_streaming(sh("sleep 0.5"), c.opts);
  CHECK(ticks >= 2);
}

TEST_CASE("run_streaming names the log file it cannot write", "[process]")
{
  TempDir dir;
  std::ofstream(dir.path / "file") << "x";
  Collected c(dir.path / "file" / "rebuild.log");
  bool ran = false;
  c.opts.on_line = [&](std::string_view) { ran = true; };
  try {
    mvh::run_streaming(sh("echo hi"), c.opts);
    FAIL("no error");
  } catch (const mvh::Error& e) {
    CHECK(std::string(e.what()) ==
          "cannot write log file '" + (dir.path / "file" / "rebuild.log").string() +
              "': Not a directory; check the permissions and free space of its directory");
  }
  CHECK_FALSE(ran);  // nothing is started when the log cannot be written
}

TEST_CASE("run_streaming forwards SIGINT/SIGTERM to the child and reports the interruption",
          "[process]")
{
  const int signo = GENERATE(SIGINT, SIGTERM);
  const std::string name = signo == SIGINT ? "INT" : "TERM";
  TempDir dir;
  const auto log = dir.path / "rebuild.log";

  struct sigaction mine {
  }, before{}, after{};
  mine.sa_handler = test_handler;
  sigemptyset(&mine.sa_mask);
  REQUIRE(::sigaction(signo, &mine, &before) == 0);

  Collected c(log);
  std::thread raiser;
  c.opts.on_line = [&](std::string_view l) {
    c.lines.emplace_back(l);
    if (l == "ready") raiser = std::thread([signo] { ::kill(::getpid(), signo); });
  };
  const auto r = mvh::run_streaming(
      sh("trap 'echo got " + name + "; exit 130' " + name +
         "; echo ready; while :; do :; done"),  // builtins only: no "Terminated" job notice
      c.opts);
  if (raiser.joinable()) raiser.join();

  CHECK(r.interrupted);
  CHECK(r.exit_code == 130);
  CHECK(r.signal == 0);
  CHECK(c.lines == std::vector<std::string>{"ready", "got " + name});
  CHECK(slurp(log) == "ready\ngot " + name + "\n");

  REQUIRE(::sigaction(signo, &before, &after) == 0);
  CHECK(after.sa_handler == test_handler);  // our disposition was put back
  CHECK(no_children());
}

TEST_CASE("run_streaming does not wait for a grandchild that holds the pipe", "[process]")
{
  Collected c;
  const auto start = Clock::now();
  const auto r = mvh::run_streaming(sh("sleep 60 & echo $!; echo hi"), c.opts);
  const auto elapsed = Clock::now() - start;
  REQUIRE(c.lines.size() == 2);
  ::kill(std::stoi(c.lines[0]), SIGTERM);  // the grandchild we caused
  CHECK(c.lines[1] == "hi");
  CHECK(r.exit_code == 0);
  CHECK(elapsed < std::chrono::seconds(30));  // not a speed check: the grandchild lives 60 s
  CHECK(no_children());
}

TEST_CASE("run_streaming kills and reaps the child when on_line throws", "[process]")
{
  Collected c;
  c.opts.on_line = [](std::string_view l) {
    if (l == "ready") throw std::runtime_error("callback failed");
  };
  const auto start = Clock::now();
  CHECK_THROWS_WITH(mvh::run_streaming(sh("echo ready; sleep 60"), c.opts), "callback failed");
  CHECK(Clock::now() - start < std::chrono::seconds(30));
  CHECK(no_children());
}
