// probe_tool HOST PORT DEADLINE_MS: waits for an SSH banner with BannerProber.
// Prints "ready <banner>" and exits 0, or "<outcome> <detail>" of the last failed attempt and
// exits 1 when the deadline passes; exit 2 on bad arguments.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "sys/ssh_probe.hpp"

int main(int argc, char** argv)
{
  if (argc != 4) {
    std::fprintf(stderr, "usage: probe_tool HOST PORT DEADLINE_MS\n");
    return 2;
  }
  const long port = std::strtol(argv[2], nullptr, 10);
  const long deadline_ms = std::strtol(argv[3], nullptr, 10);
  if (port <= 0 || port > 65535 || deadline_ms < 0) {
    std::fprintf(stderr, "probe_tool: bad PORT or DEADLINE_MS\n");
    return 2;
  }
  try {
    using Clock = std::chrono::steady_clock;
    mvh::BannerProber prober(argv[1], static_cast<std::uint16_t>(port));
    const auto deadline = Clock::now() + std::chrono::milliseconds(deadline_ms);
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      const auto budget = std::min(left, std::chrono::milliseconds(100));
      if (prober.step(std::max(budget, std::chrono::milliseconds(0))) == mvh::ProbeOutcome::ready) {
        std::printf("ready %s\n", prober.banner().c_str());
        return 0;
      }
      if (Clock::now() >= deadline) break;
    }
    std::printf("%s %s\n", mvh::to_string(prober.last_failure()), prober.last_detail().c_str());
    std::fprintf(stderr, "probe_tool: %llu attempts\n",
                 static_cast<unsigned long long>(prober.attempts()));
    return 1;
  } catch (const mvh::Error& e) {
    std::fprintf(stderr, "probe_tool: error: %s\n", e.what());
    return 1;
  }
}
