#pragma once
// Running other programs (Boost.Process v1; never through a shell).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

struct RunResult {
  int exit_code = 0;  // valid when signal == 0
  int signal = 0;     // the signal that ended it, or 0
  std::string out;    // captured stdout
  std::string err;    // captured stderr
  bool ok() const { return signal == 0 && exit_code == 0; }
};

// Runs argv in cwd (empty: ours) with stdin from input, capturing stdout and stderr.
// argv[0] is looked up on PATH. Throws Error(Exit::failure) "cannot run '<argv0>': <cause>"
// when it cannot be started (sys/process_spawn.hpp lists the texts). Children inherit no
// descriptor of ours above 2 and get SIGPIPE at its default.
RunResult run_capture(const std::vector<std::string>& argv, const std::string& cwd = {},
                      const std::string& input = {});

// Runs argv with our stdin/stdout/stderr (e.g. sudo, which may prompt). Returns like
// run_capture without output. Throws as run_capture.
RunResult run_inherit(const std::vector<std::string>& argv, const std::string& cwd = {});

struct StreamOptions {
  std::string cwd;
  std::string log_path;  // every output byte is appended here (created 0600 if absent)
  std::function<void(std::string_view line)> on_line;  // each stdout/stderr line, merged
  std::function<void()> on_tick;                       // called at least every 200 ms
  // With the terminal lent: true when the child starts reading from the user (it turned the
  // terminal's echo or canonical mode off, as sudo's password prompt does), false when it is
  // done. Whatever was drawn on the current line must stay out of its way meanwhile.
  std::function<void(bool reading)> on_terminal_input;
  std::string log_header;  // written to the log before the child's output
};

struct StreamResult {
  int exit_code = 0;
  int signal = 0;
  bool interrupted = false;  // we got SIGINT/SIGTERM, forwarded it to the child's process
                             // group and waited for the group to exit
};

// Runs argv in its own process group, stdin from /dev/null, stdout+stderr merged and streamed
// line by line (on_line gets each line without "\n" and without a "\r" before it, also a last
// unterminated line; the log gets the raw bytes). When our group is in the foreground of a
// controlling terminal, the child's group gets the terminal for the time it runs (it may ask
// the user for a password on /dev/tty; Ctrl-C reaches it directly and counts as interrupted,
// whatever the child's exit status; Ctrl-Z is undone); the terminal and its modes are taken back
// after. Otherwise the child runs in a new session without a terminal. SIGINT/SIGTERM reaching us
// meanwhile are forwarded to the group (the third one as SIGKILL); our dispositions are
// restored on return.
// Once the child exited, output is read for at most 1 s more (a grandchild may hold the pipe).
// Throws as run_capture, or Error(Exit::failure) "cannot write log file '<log_path>': <cause>;
// check the permissions and free space of its directory" when log_path cannot be opened (then
// nothing is run) or written (then after the child ended).
StreamResult run_streaming(const std::vector<std::string>& argv, const StreamOptions& opts);

}  // namespace mvh
