#include "sys/terminal_loan.hpp"

#include <fcntl.h>
#include <unistd.h>

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
  if (fd_ >= 0) ::tcsetpgrp(fd_, pgid);
}

bool TerminalLoan::child_reading() const
{
  struct termios now {};
  if (fd_ < 0 || ::tcgetattr(fd_, &now) != 0) return false;
  return (now.c_lflag & k_reading_modes) != (saved_.c_lflag & k_reading_modes);
}

}  // namespace mvh
