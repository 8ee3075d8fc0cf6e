#include "sys/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include "sys/boost_process.hpp"

#include "sys/process_spawn.hpp"

namespace mvh {
namespace asio = boost::asio;

namespace {

std::vector<std::string> tail(const std::vector<std::string>& argv)
{
  return {argv.begin() + 1, argv.end()};
}

// Writing to a child that exits without reading its stdin raises SIGPIPE, which would kill us
// unless ignored. Blocking it in this thread turns that into EPIPE; the pending signal is
// consumed before the mask is restored. Blocked only after the spawn, so the child does not
// inherit the mask.
class SigpipeBlock {
 public:
  SigpipeBlock()
  {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_);
  }
  ~SigpipeBlock()
  {
    if (sigismember(&old_, SIGPIPE)) return;
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    const timespec zero{};
    while (sigtimedwait(&pipe_only, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t old_{};
};

RunResult finish(bp::child& child)
{
  std::error_code ec;
  child.wait(ec);
  RunResult r;
  detail::decode_wait_status(child.native_exit_code(), r.exit_code, r.signal);
  return r;
}

}  // namespace

RunResult run_capture(const std::vector<std::string>& argv, const std::string& cwd,
                      const std::string& input)
{
  const std::string exe = detail::resolve_program(argv);
  detail::check_start_dir(argv[0], cwd);

  asio::io_context io;
  bp::async_pipe in(io), out(io), err(io);
  detail::SpawnSetup setup;
  setup.dir = cwd.empty() ? nullptr : cwd.c_str();
  std::error_code ec;
  bp::child child(bp::exe = exe, bp::args = tail(argv), (bp::std_in < in), (bp::std_out > out),
                  (bp::std_err > err), setup, ec);
  if (ec) throw detail::spawn_error(argv[0], ec);

  // All three pipes are served by one event loop, so a child filling one pipe while we wait
  // on another cannot deadlock.
  std::string out_text, err_text;
  asio::async_read(out, asio::dynamic_buffer(out_text), [](auto, auto) {});
  asio::async_read(err, asio::dynamic_buffer(err_text), [](auto, auto) {});
  SigpipeBlock no_sigpipe;
  if (input.empty()) {
    in.close();
  } else {
    // A child that stops reading early makes this fail with EPIPE: not our error.
    asio::async_write(in, asio::buffer(input), [&in](auto, auto) { in.close(); });
  }
  io.run();

  RunResult r = finish(child);
  r.out = std::move(out_text);
  r.err = std::move(err_text);
  return r;
}

RunResult run_inherit(const std::vector<std::string>& argv, const std::string& cwd)
{
  const std::string exe = detail::resolve_program(argv);
  detail::check_start_dir(argv[0], cwd);

  detail::SpawnSetup setup;
  setup.dir = cwd.empty() ? nullptr : cwd.c_str();
  std::error_code ec;
  bp::child child(bp::exe = exe, bp::args = tail(argv), setup, ec);
  if (ec) throw detail::spawn_error(argv[0], ec);
  return finish(child);
}

}  // namespace mvh
