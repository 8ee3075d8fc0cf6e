#include "sys/status_line.hpp"

#include <sys/ioctl.h>

#include "core/status_format.hpp"

namespace mvh {

StatusLine::StatusLine(std::FILE* out, bool is_tty, bool quiet)
    : out_(out), tty_(is_tty), quiet_(quiet)
{
}

StatusLine::~StatusLine()
{
  clear();
}

std::size_t StatusLine::width() const
{
  struct winsize ws {};
  if (::ioctl(fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

void StatusLine::write(std::string_view bytes)
{
  std::fwrite(bytes.data(), 1, bytes.size(), out_);
}

void StatusLine::draw()
{
  // One column is left free: writing the last column makes some terminals wrap early.
  const std::string text = format_status(phase_, detail_, width() - 1);
  write("\r");
  write(text);
  write("\x1b[K");
  if (park_) write("\r");
  std::fflush(out_);
  live_ = true;
}

void StatusLine::update(std::string_view phase, std::string_view detail)
{
  if (quiet_) return;
  const bool new_phase = !have_phase_ || phase != phase_;
  phase_ = phase;
  detail_ = detail;
  have_phase_ = true;
  if (tty_) {
    if (!yielded_) draw();
    return;
  }
  if (!new_phase) return;
  const std::string line = sanitize_for_terminal(phase) + "\n";
  write(line);
  std::fflush(out_);
}

void StatusLine::clear()
{
  if (!tty_ || !live_) return;
  write("\r\x1b[K");
  std::fflush(out_);
  live_ = false;
}

void StatusLine::yield()
{
  yielded_ = true;
  if (!tty_ || !live_) return;
  write("\x1b[K");
  std::fflush(out_);
  live_ = false;
}

void StatusLine::println(std::string_view text)
{
  const bool was_live = live_;
  clear();
  write(text);
  write("\n");
  std::fflush(out_);
  if (was_live) draw();
}

void StatusLine::note(std::string_view text)
{
  if (!quiet_) println(text);
}

}  // namespace mvh
