#pragma once
// One connection of a BannerProber (internal to src/sys): ssh_probe.cpp connects and reads it,
// ssh_probe_release.cpp watches it half-closed once the prober gave up on it.
#include <unistd.h>

#include <chrono>
#include <cstddef>

#include "core/ssh_banner.hpp"
#include "sys/ssh_probe.hpp"

namespace mvh {

struct BannerProber::Conn {
  explicit Conn(std::size_t max_line) : reader(max_line) {}
  int fd = -1;
  bool connecting = true;
  bool done = false;
  std::chrono::steady_clock::time_point started;
  std::chrono::milliseconds window{0};  // lifetime without a banner
  SshBannerReader reader;               // the lines received so far
  std::size_t total = 0;                // bytes read on this connection
  bool released = false;  // given up on and half-closed, watched until the peer closes
  bool holding = false;   // released, and a server sent bytes on it (a pre-auth slot)
  std::chrono::steady_clock::time_point released_at;
  ~Conn()
  {
    if (fd >= 0) close(fd);
  }
};

}  // namespace mvh
