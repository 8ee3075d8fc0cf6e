// run_streaming (declared in sys/process.hpp): the rebuild runner.
#include <sys/stat.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include "sys/boost_process.hpp"

#include "core/line_splitter.hpp"
#include "sys/process.hpp"
#include "sys/process_spawn.hpp"
#include "sys/terminal_loan.hpp"

namespace mvh {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds tick_period{100};   // on_tick period (the contract says <= 200 ms)
constexpr milliseconds exit_poll{10};      // child-exit polling once the pipe hit EOF
constexpr milliseconds drain_limit{1000};  // reading on after the child exited
constexpr int signals_before_kill = 3;     // the third interrupt sends SIGKILL to the group

Error log_error(const std::string& path, int err)
{
  return failure("cannot write log file '" + path + "': " + std::strerror(err) +
                 "; check the permissions and free space of its directory");
}

// The append-only log; an empty path logs nothing.
class LogFile {
 public:
  explicit LogFile(const std::string& path) : path_(path)
  {
    if (path.empty()) return;
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw log_error(path, errno);
  }
  ~LogFile()
  {
    if (fd_ >= 0) ::close(fd_);
  }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Remembers the first failure instead of throwing: the child must be reaped first.
  void append(std::string_view bytes)
  {
    while (fd_ >= 0 && error_ == 0 && !bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error_ = errno;
      if (n > 0) bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void throw_if_failed() const
  {
    if (error_ != 0) throw log_error(path_, error_);
  }

 private:
  std::string path_;
  int fd_ = -1;
  int error_ = 0;
};

// asio's signal_set resets a signal to SIG_DFL when it lets go of it; this puts back whatever
// disposition we had before (it must outlive the signal_set).
class SavedDispositions {
 public:
  SavedDispositions()
  {
    ::sigaction(SIGINT, nullptr, &int_);
    ::sigaction(SIGTERM, nullptr, &term_);
  }
  ~SavedDispositions()
  {
    ::sigaction(SIGINT, &int_, nullptr);
    ::sigaction(SIGTERM, &term_, nullptr);
  }
  SavedDispositions(const SavedDispositions&) = delete;
  SavedDispositions& operator=(const SavedDispositions&) = delete;

 private:
  struct sigaction int_ {};
  struct sigaction term_ {};
};

// Child side of the terminal. With a terminal to lend, the child leads a new process group and
// makes it the terminal's foreground group itself (the parent does too, but only after the
// exec: sudo must not run a moment in the background, where its prompt would stop it); it gets
// Ctrl-C straight from the terminal. Without one, it leads a new session with no controlling
// terminal, so that a password prompt fails at once ("a terminal is required") instead of
// waiting for a terminal that cannot answer. Either way it leads its own group, which we kill.
struct ChildTerminal : bp::extend::handler {
  int tty = -1;

  template <class Executor>
  void on_exec_setup(Executor&) const
  {
    if (tty < 0) {
      ::setsid();
      return;
    }
    ::setpgid(0, 0);
    ::tcsetpgrp(tty, ::getpgrp());  // SIGTTOU is ignored here: inherited from the parent
    ::signal(SIGTTOU, SIG_DFL);
  }
};

class Streamer {
 public:
  Streamer(const StreamOptions& opts, LogFile& log) : opts_(opts), log_(log) {}

  // Serves the pipe, the timer and the signals until the child exited and its output ended
  // (or drain_limit passed after its exit).
  StreamResult run(const std::vector<std::string>& argv, const std::string& exe)
  {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    wait_signal();

    detail::SpawnSetup setup;
    setup.dir = opts_.cwd.empty() ? nullptr : opts_.cwd.c_str();
    ChildTerminal child_tty;
    child_tty.tty = terminal_.fd();
    std::error_code ec;
    const std::vector<std::string> args(argv.begin() + 1, argv.end());
    child_ = bp::child(bp::exe = exe, bp::args = args, (bp::std_in < bp::null),
                       ((bp::std_out & bp::std_err) > pipe_), child_tty, setup, ec);
    if (ec) throw detail::spawn_error(argv[0], ec);
    pgid_ = child_.id();
    terminal_.lend(pgid_);
    child_.detach();  // leftovers of the group are not ours to kill once the child is gone
    ReapGuard guard{pgid_};

    last_tick_ = Clock::now();
    read();
    arm_timer(tick_period);
    io_.run();
    guard.pid = 0;

    splitter_.finish([this](std::string_view line) { deliver(line); });
    StreamResult r;
    detail::decode_wait_status(child_.native_exit_code(), r.exit_code, r.signal);
    // With the terminal lent, Ctrl-C reaches the child's group, not us: the witness tells.
    r.interrupted = terminal_.user_interrupted() || interrupts_ > 0;
    return r;
  }

 private:
  // If a callback throws, the child and its group must not outlive us as orphans or zombies.
  struct ReapGuard {
    pid_t pid;
    ~ReapGuard()
    {
      if (pid <= 0) return;
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  };

  void deliver(std::string_view line)
  {
    if (opts_.on_line) opts_.on_line(line);
  }

  void read()
  {
    pipe_.async_read_some(
        asio::buffer(chunk_), [this](boost::system::error_code ec, std::size_t n) {
          if (n > 0) {
            const std::string_view bytes(chunk_.data(), n);
            log_.append(bytes);
            splitter_.feed(bytes, [this](std::string_view line) { deliver(line); });
          }
          if (!ec) return read();
          if (ec == asio::error::operation_aborted) return;
          eof_ = true;  // EOF, or an error that ends the stream just the same
          if (child_exited_) return finish();
          arm_timer(exit_poll);  // the exit usually follows at once: notice it soon
        });
  }

  void arm_timer(milliseconds period)
  {
    timer_.expires_after(period);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      on_timer();
    });
  }

  void on_timer()
  {
    const auto now = Clock::now();
    watch_terminal();
    if (now - last_tick_ >= tick_period) {
      last_tick_ = now;
      if (opts_.on_tick) opts_.on_tick();
    }
    if (!child_exited_) {
      std::error_code ec;
      // Polled with waitpid(pid, WNOHANG) rather than via SIGCHLD: Boost's SIGCHLD service
      // would take over that signal process-wide for every child of ours.
      if (!child_.running(ec)) {
        child_exited_ = true;
        drain_deadline_ = now + drain_limit;
      }
    }
    if (child_exited_ && (eof_ || now >= drain_deadline_)) return finish();
    arm_timer(eof_ || child_exited_ ? exit_poll : tick_period);
  }

  void watch_terminal()
  {
    if (!terminal_.available() || child_exited_) return;
    // Ctrl-Z stops the foreground group, but nobody would ever continue it: the shell waits
    // for us, not for the rebuild. It is continued at once: a rebuild cannot be suspended.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pgid_), &info, WSTOPPED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pgid_)
      ::kill(-pgid_, SIGCONT);
    const bool reading = terminal_.child_reading();
    if (reading == reading_) return;
    reading_ = reading;
    if (opts_.on_terminal_input) opts_.on_terminal_input(reading);
  }

  void wait_signal()
  {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
      if (ec) return;
      ++interrupts_;
      // The child has its own process group: a signal meant for us (SIGTERM, or Ctrl-C when
      // the terminal is not lent) reaches only us; passing it on lets the rebuild stop cleanly
      // and us report what it printed.
      if (!child_exited_ && pgid_ > 0)
        ::kill(-pgid_, interrupts_ >= signals_before_kill ? SIGKILL : signo);
      wait_signal();
    });
  }

  void finish()
  {
    // A grandchild may still hold the pipe open; closing our end abandons it.
    // Boost >= 1.87 dropped the timer's cancel(error_code&); a steady timer's cancel() cannot
    // fail (it only dequeues the handler), so the throwing form is the same on every version.
    boost::system::error_code ignored;
    timer_.cancel();
    signals_.cancel(ignored);
    pipe_.close(ignored);
    io_.stop();
  }

  const StreamOptions& opts_;
  LogFile& log_;
  TerminalLoan terminal_;  // before the child: given back after its group was killed
  bool reading_ = false;   // the child changed the terminal's modes to read from the user
  asio::io_context io_;
  bp::async_pipe pipe_{io_};
  asio::steady_timer timer_{io_};
  asio::signal_set signals_{io_};
  bp::child child_;
  pid_t pgid_ = 0;
  std::array<char, std::size_t{16} * 1024> chunk_{};
  LineSplitter splitter_;
  bool eof_ = false;
  bool child_exited_ = false;
  int interrupts_ = 0;
  Clock::time_point last_tick_;
  Clock::time_point drain_deadline_;
};

}  // namespace

StreamResult run_streaming(const std::vector<std::string>& argv, const StreamOptions& opts)
{
  const std::string exe = detail::resolve_program(argv);
  detail::check_start_dir(argv[0], opts.cwd);
  LogFile log(opts.log_path);
  log.append(opts.log_header);
  SavedDispositions saved;
  StreamResult result;
  {
    Streamer streamer(opts, log);
    result = streamer.run(argv, exe);
  }
  log.throw_if_failed();
  return result;
}

}  // namespace mvh
