#pragma once
// SSH readiness: nonblocking TCP probes that succeed only when a line starting "SSH-2.0-"
// arrives (RFC 4253 §4.2 allows other lines before it). Several connections are kept in
// flight; a silent or slow connection never blocks the others or the caller.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mvh {

enum class ProbeOutcome {
  pending,    // nothing finished yet
  refused,    // ECONNREFUSED
  reset,      // ECONNRESET / EPIPE during connect or read
  closed,     // EOF before a banner (a forwarder with nothing behind it)
  no_banner,  // connected but silent for the read window
  not_ssh,    // a line arrived that is neither a pre-banner line nor SSH-2.0 (or too long)
  no_route,   // EHOSTUNREACH / ENETUNREACH / connect timeout
  error,      // any other errno (detail() has strerror)
  ready,      // "SSH-2.0-..." received
};

// "refused", "reset", "closed", "no banner", "not SSH", "no route", ...
const char* to_string(ProbeOutcome o);

struct ProbeOptions {
  int max_in_flight = 3;                                 // concurrent connections
  std::chrono::milliseconds retry_interval{20};          // between new connection attempts
  std::chrono::milliseconds read_window{500};            // a connection's lifetime w/o banner
  std::size_t max_line = 255;                            // RFC 4253: banner lines <= 255 bytes
  std::size_t max_total = 8192;                          // bytes read per connection, at most
};

class BannerProber {
 public:
  BannerProber(std::string host, std::uint16_t port, ProbeOptions opts = {});
  ~BannerProber();
  BannerProber(const BannerProber&) = delete;
  BannerProber& operator=(const BannerProber&) = delete;

  // Runs connects/reads for at most budget (poll-based, never longer). Returns ready once a
  // banner arrived, else pending.
  ProbeOutcome step(std::chrono::milliseconds budget);
  // The outcome of the most recent finished attempt that was not ready (for progress/timeouts).
  ProbeOutcome last_failure() const { return last_failure_; }
  std::string last_detail() const { return last_detail_; }
  // The banner line (without CR LF) once ready.
  const std::string& banner() const { return banner_; }
  std::uint64_t attempts() const { return attempts_; }

 private:
  struct Conn;
  void start_connection();
  void finish(Conn& c, ProbeOutcome o, std::string detail);
  std::string host_;
  std::uint16_t port_;
  ProbeOptions opts_;
  std::vector<Conn*> conns_;
  std::chrono::steady_clock::time_point next_start_{};
  ProbeOutcome last_failure_ = ProbeOutcome::pending;
  std::string last_detail_;
  std::string banner_;
  std::uint64_t attempts_ = 0;
};

// One blocking-free TCP connect check with a timeout (used on the fast path where the banner
// was already seen for this unit invocation). True when the connection was accepted.
bool tcp_connect_ok(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace mvh
