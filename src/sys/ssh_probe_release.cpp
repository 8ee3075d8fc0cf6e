// BannerProber's release-and-watch part: a connection given up on after it connected is
// half-closed and watched until the peer closes it, because a forwarder (qemu's slirp) may
// still hand it to sshd, where it holds a pre-auth slot; ready waits until few enough do.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "sys/ssh_probe.hpp"
#include "sys/ssh_probe_conn.hpp"

namespace mvh {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::size_t BannerProber::in_flight() const
{
  return static_cast<std::size_t>(
      std::count_if(conns_.begin(), conns_.end(), [](const auto& c) { return !c->released; }));
}

std::size_t BannerProber::held() const
{
  return static_cast<std::size_t>(
      std::count_if(conns_.begin(), conns_.end(), [](const auto& c) { return c->holding; }));
}

std::size_t BannerProber::released() const
{
  return conns_.size() - in_flight();
}

// Closing would not withdraw the connection from a forwarder still trying to reach the guest:
// keep the fd to learn when the server side is gone (EOF) and whether a server holds it.
void BannerProber::release(Conn& c)
{
  if (c.fd < 0 || c.connecting || c.released) {
    c.done = true;
    return;
  }
  shutdown(c.fd, SHUT_WR);
  c.done = false;  // finish() marked it; it stays open, watched
  c.released = true;
  c.released_at = Clock::now();
  c.holding = c.total > 0;
  std::size_t watched = released();
  for (auto& old : conns_) {
    if (watched <= opts_.max_released) break;
    if (old->released && !old->done && old.get() != &c) {
      old->done = true;
      --watched;
    }
  }
}

void BannerProber::on_released_event(Conn& c)
{
  char buf[4096];
  const ssize_t n = read(c.fd, buf, sizeof buf);
  if (n > 0) {
    if (!c.holding) ++answered_late_;
    c.holding = true;
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    c.done = true;
  }
}

bool BannerProber::may_report_ready(Clock::time_point now)
{
  if (reported_ready_) return true;
  held_at_banner_ = std::max(held_at_banner_, held());
  if (held() > static_cast<std::size_t>(opts_.max_held) && now - banner_at_ < opts_.release_wait)
    return false;
  release_waited_ = std::chrono::duration_cast<milliseconds>(now - banner_at_);
  reported_ready_ = true;
  return true;
}

}  // namespace mvh
