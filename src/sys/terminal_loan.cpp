#include "sys/terminal_loan.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>

namespace mvh {

namespace {
constexpr tcflag_t k_reading_modes = ECHO | ICANON;
}

TerminalLoan::TerminalLoan()
{
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return;  // no controlling terminal
  our_group_ = ::getpgrp();
  if (::tcgetpgrp(fd) != our_group_ || ::tcgetattr(fd, &saved_) != 0) {
    ::close(fd);
    return;
  }
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGTTOU, &ignore, &ttou_);
  fd_ = fd;
}

TerminalLoan::~TerminalLoan()
{
  if (fd_ < 0) return;
  user_interrupted();  // reaps the witness
  if (::tcgetpgrp(fd_) != our_group_) ::tcsetpgrp(fd_, our_group_);
  struct termios now {};
  if (::tcgetattr(fd_, &now) == 0 &&
      (now.c_lflag & k_reading_modes) != (saved_.c_lflag & k_reading_modes))
    ::tcsetattr(fd_, TCSADRAIN, &saved_);
  ::sigaction(SIGTTOU, &ttou_, nullptr);
  ::close(fd_);
}

void TerminalLoan::lend(pid_t pgid)
{
  if (fd_ < 0) return;
  ::tcsetpgrp(fd_, pgid);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls here. Our handlers (asio's) must not run in this copy.
    for (const int sig : {SIGINT, SIGQUIT, SIGHUP, SIGTERM}) ::signal(sig, SIG_DFL);
    if (::setpgid(0, pgid) != 0) ::_exit(0);  // the group is gone: nothing to witness
    while (true) ::pause();
  }
  if (pid < 0) return;   // no witness: an interrupt then reads as the child's own failure
  ::setpgid(pid, pgid);  // whichever of us comes first
  witness_ = pid;
}

bool TerminalLoan::user_interrupted()
{
  if (witness_ <= 0) return false;
  // A signal the terminal sent before this SIGKILL already decided how the witness dies.
  ::kill(witness_, SIGKILL);
  int status = 0;
  while (::waitpid(witness_, &status, 0) < 0 && errno == EINTR) {
  }
  witness_ = 0;
  if (!WIFSIGNALED(status)) return false;
  const int sig = WTERMSIG(status);
  return sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

bool TerminalLoan::child_reading() const
{
  struct termios now {};
  if (fd_ < 0 || ::tcgetattr(fd_, &now) != 0) return false;
  return (now.c_lflag & k_reading_modes) != (saved_.c_lflag & k_reading_modes);
}

}  // namespace mvh
