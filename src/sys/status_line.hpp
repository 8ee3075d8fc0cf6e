#pragma once
// Progress on stderr: one live line redrawn in place on a terminal, plain phase lines in logs.
#include <cstdio>
#include <string>
#include <string_view>

namespace mvh {

// Modes:
//  - terminal: update() redraws "phase — detail" in place ("\r", text cut to the terminal
//    width, "\x1b[K"); println()/note() clear it, print their line, then redraw it.
//  - not a terminal (CI, redirected): update() prints "phase" once each time the phase changes;
//    details are dropped (they would flood a log).
//  - quiet (-q): update() and note() print nothing; println() still prints, because callers
//    use it for warnings and errors the user must see.
class StatusLine {
 public:
  // out: where to draw (normally stderr); is_tty: whether out is a terminal.
  StatusLine(std::FILE* out, bool is_tty, bool quiet);
  // Clears a live line so that later output starts at column 0.
  ~StatusLine();
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // Shows the current phase and an optional detail (see the modes above). Never fails.
  void update(std::string_view phase, std::string_view detail = {});

  // Erases the live line (terminal only). Never fails.
  void clear();

  // Prints a permanent line in every mode, quiet included. Never fails.
  void println(std::string_view text);

  // Prints a permanent informational line, except in quiet mode. Never fails.
  void note(std::string_view text);
  // For a line another process may write on (a child's password prompt on /dev/tty): after
  // each draw the cursor goes back to column 0, so that their text starts at the line's start.
  void park_cursor(bool on) { park_ = on; }
  // Stops drawing and erases what is left of the line right of the cursor: the whole line when
  // nobody wrote since the last draw (the cursor is parked), else what the other text did not
  // cover. update() draws again after resume(). Never fails.
  void yield();
  void resume() { yielded_ = false; }

 private:
  std::size_t width() const;
  void draw();
  void write(std::string_view bytes);

  std::FILE* out_;
  bool tty_;
  bool quiet_;
  bool live_ = false;   // a drawn line is on screen
  std::string phase_;   // last phase passed to update()
  std::string detail_;  // last detail passed to update()
  bool have_phase_ = false;
  bool park_ = false;     // park_cursor()
  bool yielded_ = false;  // yield() until resume()
};

}  // namespace mvh
