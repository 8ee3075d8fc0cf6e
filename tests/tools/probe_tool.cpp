// probe_tool HOST PORT DEADLINE_MS: waits for an SSH banner with BannerProber.
// Prints "ready <banner>" and exits 0, or "<outcome> <detail>" of the last failed attempt and
// exits 1 when the deadline passes; exit 2 on bad arguments. stderr gets the attempt counts,
// e.g. "attempts=17 refused=15 ready=1".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "sys/ssh_probe.hpp"

namespace {

void print_counts(const mvh::BannerProber& p)
{
  using mvh::ProbeOutcome;
  std::fprintf(stderr, "attempts=%llu", static_cast<unsigned long long>(p.attempts()));
  for (auto o :
       {ProbeOutcome::refused, ProbeOutcome::reset, ProbeOutcome::closed, ProbeOutcome::no_banner,
        ProbeOutcome::not_ssh, ProbeOutcome::no_route, ProbeOutcome::error, ProbeOutcome::ready})
    if (p.count(o) > 0)
      std::fprintf(stderr, " %s=%llu", mvh::to_string(o),
                   static_cast<unsigned long long>(p.count(o)));
  std::fprintf(stderr, "\n");
}

}  // namespace

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
        print_counts(prober);
        return 0;
      }
      if (Clock::now() >= deadline) break;
    }
    std::printf("%s %s\n", mvh::to_string(prober.last_failure()), prober.last_detail().c_str());
    print_counts(prober);
    return 1;
  } catch (const mvh::Error& e) {
    std::fprintf(stderr, "probe_tool: error: %s\n", e.what());
    return 1;
  }
}
