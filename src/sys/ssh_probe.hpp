#pragma once
// SSH readiness: nonblocking TCP probes that succeed only when a line starting "SSH-2.0-"
// (or "SSH-1.99-") arrives (RFC 4253 §4.2 allows other lines before it). Several connections
// are kept in flight; a silent or slow connection never blocks the others or the caller.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sys/tcp_socket.hpp"

namespace mvh {

enum class ProbeOutcome {
  pending,    // nothing finished yet
  refused,    // ECONNREFUSED
  reset,      // ECONNRESET / EPIPE during connect or read
  closed,     // EOF before a banner (a forwarder with nothing behind it)
  no_banner,  // connected but no complete banner within the read window
  not_ssh,    // non-SSH lines and no banner, another SSH version, a too long line or too much data
  no_route,   // EHOSTUNREACH / ENETUNREACH / connect not completed within the read window
  error,      // any other errno (last_detail() has strerror)
  ready,      // "SSH-2.0-..." received
};
inline constexpr std::size_t probe_outcome_count = 9;

// "pending", "refused", "reset", "closed", "no banner", "not SSH", "no route", "error", "ready".
const char* to_string(ProbeOutcome o);

struct ProbeOptions {
  int max_in_flight = 3;                         // concurrent connections
  std::chrono::milliseconds retry_interval{20};  // between new connection attempts
  std::chrono::milliseconds read_window{500};    // a connection's lifetime w/o banner
  std::size_t max_line = 255;                    // RFC 4253: banner lines <= 255 bytes
  std::size_t max_total = 8192;                  // bytes read per connection, at most
  // Once the peer closed a connection (qemu's hostfwd: the guest is up, its port not yet
  // open), new connections reach a real listener: give each time to send its banner, and keep
  // to one so the server's per-address limit on unauthenticated connections (dropbear: 5, all
  // hostfwd clients are 10.0.2.2) is not filled by connections we abandon.
  std::chrono::milliseconds settled_window{5000};
  int settled_in_flight = 1;
  // A connection we give up on after it connected is only half-closed (shutdown(SHUT_WR)) and
  // watched until the peer closes it: a forwarder (qemu's slirp) keeps retrying such a
  // connection towards the guest and hands it to sshd seconds later, where it holds a pre-auth
  // slot. Ready is reported only once at most max_held of ours hold one (an SSH server sent
  // bytes and has not closed yet), so ssh is not refused for our leftovers (dropbear: 5 per
  // address; OpenSSH: MaxStartups 10), or after release_wait, whichever comes first.
  int max_held = 3;
  std::chrono::milliseconds release_wait{3000};
  std::size_t max_released = 64;  // half-closed connections watched, at most (oldest closed)
};

class BannerProber {
 public:
  // Resolves host once (numeric IPv4/IPv6 literal, "[v6]", or a name via getaddrinfo). Throws
  // Error(Exit::failure) "cannot resolve SSH host '<host>': <cause>; ..." when it cannot.
  BannerProber(std::string host, std::uint16_t port, ProbeOptions opts = {});
  ~BannerProber();
  BannerProber(const BannerProber&) = delete;
  BannerProber& operator=(const BannerProber&) = delete;

  // Runs connects/reads for at most budget (poll-based, never longer; a zero budget makes one
  // nonblocking pass). Returns ready once a banner arrived (and on every later call), else
  // pending. Never throws; failures of single attempts show in last_failure().
  ProbeOutcome step(std::chrono::milliseconds budget);
  // The outcome of the most recent finished attempt that was not ready (for progress/timeouts);
  // pending while none finished.
  ProbeOutcome last_failure() const { return last_failure_; }
  // Why that attempt failed, a lowercase phrase without host and port, e.g. "connection
  // refused", "connected, but no SSH banner within 500 ms", "got 'HTTP/1.1 400 Bad Request'
  // instead of an SSH banner". Empty while none finished.
  std::string last_detail() const { return last_detail_; }
  // The banner line (without CR LF) once ready.
  const std::string& banner() const { return banner_; }
  // Connections started so far.
  std::uint64_t attempts() const { return attempts_; }
  // Finished attempts with outcome o (ready counts at most once).
  std::uint64_t count(ProbeOutcome o) const { return counts_[static_cast<std::size_t>(o)]; }
  // Probe connections currently open (not counting half-closed ones we gave up on).
  std::size_t in_flight() const;
  // Our half-closed connections that an SSH server currently holds (sent bytes, not closed).
  std::size_t held() const;
  // Half-closed connections still watched (held or not yet delivered by a forwarder).
  std::size_t released() const;
  // The most connections the server held at once between the banner and ready.
  std::size_t held_at_banner() const { return held_at_banner_; }
  // Connections a server answered only after we had given up on them (a forwarder's late
  // delivery, or a server slower than the window).
  std::uint64_t answered_late() const { return answered_late_; }
  // How long ready waited after the banner for the server to release our connections.
  std::chrono::milliseconds release_waited() const { return release_waited_; }
  // The most bytes read from any one connection (never above opts.max_total).
  std::size_t max_bytes_read() const { return max_bytes_read_; }

 private:
  struct Conn;
  void start_connection(std::chrono::steady_clock::time_point now);
  void expire(std::chrono::steady_clock::time_point now);
  void on_connect_event(Conn& c);
  void on_read_event(Conn& c);
  void become_ready(std::string banner);
  void feed(Conn& c, const char* data, std::size_t n);
  void finish(Conn& c, ProbeOutcome o, std::string detail);
  void finish_errno(Conn& c, int err);
  void release(Conn& c);
  void on_released_event(Conn& c);
  bool may_report_ready(std::chrono::steady_clock::time_point now);
  std::string host_;
  std::uint16_t port_;
  ProbeOptions opts_;
  std::vector<SockAddr> addrs_;
  std::size_t next_addr_ = 0;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::chrono::steady_clock::time_point next_start_{};
  ProbeOutcome last_failure_ = ProbeOutcome::pending;
  std::string last_detail_;
  std::string banner_;
  bool ready_ = false;
  bool peer_closed_ = false;  // a connection ended in ProbeOutcome::closed
  std::uint64_t attempts_ = 0;
  std::array<std::uint64_t, probe_outcome_count> counts_{};
  std::size_t max_bytes_read_ = 0;
  std::chrono::steady_clock::time_point banner_at_{};
  std::size_t held_at_banner_ = 0;
  std::chrono::milliseconds release_waited_{0};
  bool reported_ready_ = false;
  std::uint64_t answered_late_ = 0;
};

// One TCP connect with a timeout that never blocks longer (used on the fast path where the
// banner was already seen for this unit invocation). True when the connection was accepted;
// false on any failure, including a host that does not resolve.
bool tcp_connect_ok(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace mvh
