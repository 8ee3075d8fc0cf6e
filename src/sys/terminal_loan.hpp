#pragma once
// Lending our controlling terminal to a child's process group for the time it runs, as a shell
// does with a foreground job: a rebuild that runs `sudo` must be able to ask for a password on
// /dev/tty, and a process of a background group that reads the terminal or changes its modes
// is stopped by the kernel (SIGTTIN/SIGTTOU), which looks like a hang.
#include <signal.h>
#include <sys/types.h>
#include <termios.h>

namespace mvh {

class TerminalLoan {
 public:
  // Opens /dev/tty. available() is true only when we have a controlling terminal and our
  // process group is its foreground group (not `microvm-here &`); then SIGTTOU is ignored until
  // destruction, because taking the terminal back from the background requires it.
  TerminalLoan();
  // Gives the terminal back to our process group and restores the modes it had at
  // construction (a child killed while echo was off must not leave the terminal mute).
  ~TerminalLoan();
  TerminalLoan(const TerminalLoan&) = delete;
  TerminalLoan& operator=(const TerminalLoan&) = delete;

  bool available() const { return fd_ >= 0; }
  // The terminal's descriptor (close-on-exec), or -1 when not available().
  int fd() const { return fd_; }
  // Makes pgid the terminal's foreground group, and puts a witness of ours in it: a process
  // that only waits, so that the terminal's Ctrl-C, Ctrl-\ or hang-up, which now reach that
  // group and not us, kill it too. Never fails (the group may be gone already).
  void lend(pid_t pgid);
  // Ends the witness; true when the terminal's SIGINT, SIGQUIT or SIGHUP had killed it: the
  // user interrupted the child, whatever its exit status says (sudo exits 1 on Ctrl-C at its
  // prompt). Call once, after the child exited. Never fails.
  bool user_interrupted();
  // True while the terminal's echo or canonical mode differs from what it had at construction:
  // the child is reading from the user (sudo turns echo off for its password prompt).
  bool child_reading() const;

 private:
  int fd_ = -1;
  pid_t our_group_ = 0;
  pid_t witness_ = 0;
  struct termios saved_ {};
  struct sigaction ttou_ {};
};

}  // namespace mvh
