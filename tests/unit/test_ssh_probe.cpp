// BannerProber against in-process adversaries: listeners on 127.83.0.x (ephemeral ports) that
// misbehave the way forwarders, half-booted guests and wrong services do.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/ssh_probe.hpp"

using namespace mvh;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// One accepted connection as the adversary sees it.
struct Peer {
  int fd;
  const std::atomic<bool>& stop;
  Clock::time_point listener_started;
};

// Sleeps d unless the adversary is stopping; false when stopping.
bool nap(const Peer& p, Clock::duration d)
{
  const auto until = Clock::now() + d;
  while (Clock::now() < until) {
    if (p.stop) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), 10ms));
  }
  return !p.stop;
}

// Waits up to d for the client to close; true when it did (EOF or error).
bool client_closed_within(const Peer& p, Clock::duration d)
{
  const auto until = Clock::now() + d;
  while (!p.stop && Clock::now() < until) {
    pollfd pfd{p.fd, POLLIN, 0};
    if (poll(&pfd, 1, 10) <= 0) continue;
    char buf[256];
    if (recv(p.fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) return true;
  }
  return false;
}

// Sends all of data unless the client goes away or the adversary stops.
bool send_all(const Peer& p, const std::string& data)
{
  std::size_t off = 0;
  while (off < data.size()) {
    if (p.stop) return false;
    pollfd pfd{p.fd, POLLOUT, 0};
    if (poll(&pfd, 1, 10) <= 0) continue;
    const ssize_t n = send(p.fd, data.data() + off, data.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// A listener thread plus one thread per accepted connection, all joined on destruction.
class Adversary {
 public:
  using Handler = std::function<void(const Peer&)>;

  Adversary(const char* addr, Handler handler, bool accept_connections = true, int backlog = 16)
      : handler_(std::move(handler)), started_(Clock::now())
  {
    lfd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(lfd_ >= 0);
    const int one = 1;
    setsockopt(lfd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, addr, &sa.sin_addr) == 1);
    REQUIRE(bind(lfd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    REQUIRE(listen(lfd_, backlog) == 0);
    socklen_t len = sizeof sa;
    getsockname(lfd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
    if (accept_connections) acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~Adversary()
  {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    for (auto& t : workers_) t.join();
    close(lfd_);
  }
  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }
  // Longest time from accept until the client closed, over connections whose close was seen.
  milliseconds longest_client_lifetime() const
  {
    std::lock_guard<std::mutex> lock(mu_);
    return longest_;
  }
  void record_lifetime(Clock::time_point accepted_at)
  {
    std::lock_guard<std::mutex> lock(mu_);
    longest_ =
        std::max(longest_, std::chrono::duration_cast<milliseconds>(Clock::now() - accepted_at));
  }

 private:
  void accept_loop()
  {
    while (!stop_) {
      pollfd pfd{lfd_, POLLIN, 0};
      if (poll(&pfd, 1, 10) <= 0) continue;
      const int fd = accept4(lfd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++accepted_;
      workers_.emplace_back([this, fd] {
        handler_(Peer{fd, stop_, started_});
        close(fd);
      });
    }
  }

  Handler handler_;
  Clock::time_point started_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  mutable std::mutex mu_;
  milliseconds longest_{0};
};

struct RunStats {
  bool ready = false;
  milliseconds longest_step{0};
};

// Drives the prober like the caller's wait loop: step(budget) until ready or total has passed.
RunStats drive(BannerProber& p, milliseconds total, milliseconds budget = 50ms)
{
  RunStats s;
  const auto end = Clock::now() + total;
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    const ProbeOutcome o = p.step(budget);
    s.longest_step =
        std::max(s.longest_step, std::chrono::duration_cast<milliseconds>(Clock::now() - t0));
    REQUIRE((o == ProbeOutcome::ready || o == ProbeOutcome::pending));
    if (o == ProbeOutcome::ready) {
      s.ready = true;
      break;
    }
  }
  return s;
}

// One summary line per case, so a run shows what each adversary provoked.
void report(const char* name, const BannerProber& p, const RunStats& s)
{
  std::cout << "probe case " << name << ":";
  for (auto o : {ProbeOutcome::ready, ProbeOutcome::refused, ProbeOutcome::reset,
                 ProbeOutcome::closed, ProbeOutcome::no_banner, ProbeOutcome::not_ssh,
                 ProbeOutcome::no_route, ProbeOutcome::error})
    if (p.count(o) > 0) std::cout << " " << to_string(o) << "=" << p.count(o);
  std::cout << " attempts=" << p.attempts() << " longest_step_ms=" << s.longest_step.count()
            << " last=\"" << to_string(p.last_failure()) << ": " << p.last_detail() << "\"\n";
}

// Generous: the property is "bounded by the budget", never a speed claim.
constexpr milliseconds step_slack = 500ms;

std::size_t open_fd_count()
{
  std::size_t n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (d != nullptr && readdir(d) != nullptr) ++n;
  if (d != nullptr) closedir(d);
  return n;
}

}  // namespace

TEST_CASE("probe: accept-and-close is 'closed', never ready", "[ssh_probe]")
{
  Adversary adv("127.83.0.41", [](const Peer&) {});
  BannerProber p("127.83.0.41", adv.port());
  const RunStats s = drive(p, 700ms);
  report("accept-close", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::closed);
  CHECK(p.last_detail() == "connection closed before the SSH banner");
  CHECK(p.count(ProbeOutcome::closed) >= 3);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: a reset after accept is 'reset'", "[ssh_probe]")
{
  Adversary adv("127.83.0.42", [](const Peer& peer) {
    const linger lg{1, 0};
    setsockopt(peer.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  });
  BannerProber p("127.83.0.42", adv.port());
  const RunStats s = drive(p, 700ms);
  report("reset", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::reset);
  CHECK_THAT(p.last_detail(), Catch::Matchers::StartsWith("connection reset"));
  CHECK(p.count(ProbeOutcome::reset) >= 3);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: an HTTP answer is 'not SSH' and quotes the line", "[ssh_probe]")
{
  Adversary adv("127.83.0.43", [](const Peer& peer) {
    send_all(peer, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  BannerProber p("127.83.0.43", adv.port());
  const RunStats s = drive(p, 700ms);
  report("http", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::not_ssh);
  CHECK(p.last_detail() == "got 'HTTP/1.1 400 Bad Request' instead of an SSH banner");
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: pre-banner lines are skipped, then SSH-2.0 is ready", "[ssh_probe]")
{
  Adversary adv("127.83.0.44", [](const Peer& peer) {
    send_all(peer, "Welcome to the test host\r\nplease wait\n");
    if (nap(peer, 50ms)) send_all(peer, "SSH-2.0-OpenSSH_9.2\r\n");
    client_closed_within(peer, 2s);
  });
  BannerProber p("127.83.0.44", adv.port());
  const RunStats s = drive(p, 3s);
  report("pre-banner", p, s);
  REQUIRE(s.ready);
  CHECK(p.banner() == "SSH-2.0-OpenSSH_9.2");
  CHECK(p.in_flight() == 0);
  CHECK(p.step(0ms) == ProbeOutcome::ready);
  CHECK(p.count(ProbeOutcome::ready) == 1);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: SSH-1.99 is ready, SSH-1.0 is 'not SSH'", "[ssh_probe]")
{
  Adversary v199("127.83.0.45", [](const Peer& peer) {
    send_all(peer, "SSH-1.99-compat\n");
    client_closed_within(peer, 2s);
  });
  Adversary v10("127.83.0.45", [](const Peer& peer) {
    send_all(peer, "SSH-1.0-old\r\n");
    client_closed_within(peer, 2s);
  });
  BannerProber ok("127.83.0.45", v199.port());
  const RunStats s1 = drive(ok, 3s);
  report("ssh-1.99", ok, s1);
  REQUIRE(s1.ready);
  CHECK(ok.banner() == "SSH-1.99-compat");

  BannerProber old("127.83.0.45", v10.port());
  const RunStats s2 = drive(old, 500ms);
  report("ssh-1.0", old, s2);
  CHECK_FALSE(s2.ready);
  CHECK(old.last_failure() == ProbeOutcome::not_ssh);
  CHECK(old.last_detail() == "unsupported SSH protocol version 'SSH-1.0-old'");
  CHECK(s2.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: a slow trickle never holds a connection past its read window", "[ssh_probe]")
{
  // One byte per second: a connection sees at most one byte before its 500 ms window ends, so
  // the banner can never complete; the prober must keep reporting and keep reconnecting.
  Adversary* self = nullptr;
  Adversary adv("127.83.0.46", [&self](const Peer& peer) {
    const auto accepted_at = Clock::now();
    for (char ch : std::string("SSH-2.0-x\r\n")) {
      if (!send_all(peer, std::string(1, ch))) return;
      if (client_closed_within(peer, 1s)) {
        self->record_lifetime(accepted_at);
        return;
      }
    }
  });
  self = &adv;
  BannerProber p("127.83.0.46", adv.port());
  const RunStats s = drive(p, 2500ms, 200ms);
  report("trickle-1s", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::no_banner);
  CHECK(p.last_detail() == "no complete SSH banner within 500 ms (1 byte received)");
  CHECK(p.count(ProbeOutcome::no_banner) >= 3);
  CHECK(adv.longest_client_lifetime() > 0ms);
  CHECK(adv.longest_client_lifetime() < 500ms + step_slack);
  CHECK(s.longest_step < 200ms + step_slack);
}

TEST_CASE("probe: a fast trickle completes within a long enough read window", "[ssh_probe]")
{
  Adversary adv("127.83.0.46", [](const Peer& peer) {
    for (char ch : std::string("SSH-2.0-x\r\n"))
      if (!send_all(peer, std::string(1, ch)) || !nap(peer, 100ms)) return;
    client_closed_within(peer, 2s);
  });
  ProbeOptions opts;
  opts.read_window = 2000ms;
  BannerProber p("127.83.0.46", adv.port(), opts);
  const RunStats s = drive(p, 5s);
  report("trickle-100ms", p, s);
  REQUIRE(s.ready);
  CHECK(p.banner() == "SSH-2.0-x");
}

TEST_CASE("probe: 1 MB without a newline is 'not SSH' with bounded reads", "[ssh_probe]")
{
  const std::string flood(1 << 20, 'A');
  Adversary adv("127.83.0.47", [&flood](const Peer& peer) { send_all(peer, flood); });
  BannerProber p("127.83.0.47", adv.port());
  const RunStats s = drive(p, 500ms);
  report("flood-line", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::not_ssh);
  CHECK(p.last_detail() == "a line longer than 255 bytes without a newline");
  CHECK(p.max_bytes_read() > 0);
  CHECK(p.max_bytes_read() <= ProbeOptions{}.max_total);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: 1 MB of short lines is 'not SSH' after max_total bytes", "[ssh_probe]")
{
  std::string lines;
  while (lines.size() < (1 << 20)) lines += "x\n";
  Adversary adv("127.83.0.47", [&lines](const Peer& peer) { send_all(peer, lines); });
  BannerProber p("127.83.0.47", adv.port());
  const RunStats s = drive(p, 500ms);
  report("flood-lines", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::not_ssh);
  CHECK(p.last_detail() == "no SSH banner in the first 8192 bytes");
  CHECK(p.max_bytes_read() == ProbeOptions{}.max_total);
}

TEST_CASE("probe: a silent server is 'no banner' after the read window", "[ssh_probe]")
{
  Adversary* self = nullptr;
  Adversary adv("127.83.0.48", [&self](const Peer& peer) {
    const auto accepted_at = Clock::now();
    if (client_closed_within(peer, 5s)) self->record_lifetime(accepted_at);
  });
  self = &adv;
  BannerProber p("127.83.0.48", adv.port());
  const RunStats s = drive(p, 1200ms);
  report("silent", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::no_banner);
  CHECK(p.last_detail() == "connected, but no SSH banner within 500 ms");
  // Overlapping connections: more than one was open at a time.
  CHECK(adv.accepted() >= 3);
  CHECK(adv.longest_client_lifetime() > 0ms);
  CHECK(adv.longest_client_lifetime() < 500ms + step_slack);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: nothing listening is 'refused', retried quickly", "[ssh_probe]")
{
  std::uint16_t port = 0;
  {
    Adversary gone(
        "127.83.0.49", [](const Peer&) {}, false);
    port = gone.port();
  }
  BannerProber p("127.83.0.49", port);
  const RunStats s = drive(p, 300ms);
  report("refused", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::refused);
  CHECK(p.last_detail() == "connection refused");
  CHECK(p.count(ProbeOutcome::refused) >= 3);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: a banner 300 ms after accept is ready", "[ssh_probe]")
{
  Adversary adv("127.83.0.50", [](const Peer& peer) {
    if (nap(peer, 300ms)) send_all(peer, "SSH-2.0-late\r\n");
    client_closed_within(peer, 2s);
  });
  BannerProber p("127.83.0.50", adv.port());
  const RunStats s = drive(p, 3s);
  report("late", p, s);
  REQUIRE(s.ready);
  CHECK(p.banner() == "SSH-2.0-late");
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: a forwarder that is silent, then closes, then serves is ready", "[ssh_probe]")
{
  // What qemu's hostfwd does while the guest boots (RECIPES §4).
  Adversary adv("127.83.0.51", [](const Peer& peer) {
    const auto age = Clock::now() - peer.listener_started;
    if (age < 700ms) {
      client_closed_within(peer, 5s);
    } else if (age < 1100ms) {
      return;
    } else {
      send_all(peer, "SSH-2.0-guest\r\n");
      client_closed_within(peer, 2s);
    }
  });
  BannerProber p("127.83.0.51", adv.port());
  const RunStats s = drive(p, 5s);
  report("forwarder", p, s);
  REQUIRE(s.ready);
  CHECK(p.banner() == "SSH-2.0-guest");
  CHECK(p.count(ProbeOutcome::no_banner) >= 1);
  CHECK(p.count(ProbeOutcome::closed) >= 1);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: after the peer closed one, a banner slower than the read window arrives",
          "[ssh_probe]")
{
  // qemu's hostfwd to a TCG guest under load: first the port is closed (EOF), then dropbear
  // accepts but its child needs longer than read_window to send the banner. Abandoning such
  // connections fills dropbear's per-address limit and the guest looks unready for seconds.
  std::atomic<int> open_now{0};
  std::atomic<int> most_open{0};
  Adversary adv("127.83.0.52", [&](const Peer& peer) {
    if (Clock::now() - peer.listener_started < 200ms) return;  // port not open yet: EOF
    const int n = ++open_now;
    int seen = most_open.load();
    while (n > seen && !most_open.compare_exchange_weak(seen, n)) {
    }
    if (nap(peer, 900ms)) send_all(peer, "SSH-2.0-slowchild\r\n");
    client_closed_within(peer, 2s);
    --open_now;
  });
  BannerProber p("127.83.0.52", adv.port());
  const RunStats s = drive(p, 4s);
  report("slow-after-close", p, s);
  REQUIRE(s.ready);
  CHECK(p.banner() == "SSH-2.0-slowchild");
  CHECK(p.count(ProbeOutcome::closed) >= 1);
  CHECK(p.count(ProbeOutcome::no_banner) == 0);
  CHECK(most_open.load() == 1);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: ready waits while the server holds our abandoned connections", "[ssh_probe]")
{
  // qemu's hostfwd before the guest's NIC is up: connections are accepted at once and stay
  // silent; slirp keeps trying to reach the guest even after we close them, and hands them all
  // to dropbear once it listens. Each then holds a pre-auth slot (dropbear: 5 per address, all
  // hostfwd clients are 10.0.2.2) until its child exits: an ssh started then is refused
  // ("kex_exchange_identification: Connection closed by remote host").
  std::atomic<int> holding{0};
  Adversary adv("127.83.0.55", [&](const Peer& peer) {
    const bool early = Clock::now() - peer.listener_started < 950ms;
    const auto send_at = peer.listener_started + (early ? 1200ms : 1250ms);
    if (!nap(peer, send_at - Clock::now())) return;
    ++holding;
    send_all(peer, "SSH-2.0-dropbear\r\n");
    nap(peer, 600ms);  // the child's pre-auth lifetime, whatever the client does
    --holding;
  });
  BannerProber p("127.83.0.55", adv.port());
  const RunStats s = drive(p, 5s);
  const int held_at_ready = holding.load();
  report("late-delivery", p, s);
  REQUIRE(s.ready);
  CHECK(p.count(ProbeOutcome::no_banner) >= 3);
  CHECK(p.answered_late() >= 3);
  CHECK(p.held_at_banner() > static_cast<std::size_t>(ProbeOptions{}.max_held));
  CHECK(held_at_ready <= ProbeOptions{}.max_held);
  CHECK(p.release_waited() > 0ms);
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: a connect that never completes is 'no route'", "[ssh_probe]")
{
  // A listener that never accepts: once its queue is full the kernel drops further SYNs.
  Adversary adv(
      "127.83.0.52", [](const Peer&) {}, false, 0);
  BannerProber p("127.83.0.52", adv.port());
  const RunStats s = drive(p, 1500ms);
  report("syn-dropped", p, s);
  CHECK_FALSE(s.ready);
  CHECK(p.last_failure() == ProbeOutcome::no_route);
  CHECK(p.last_detail() == "connect did not complete within 500 ms");
  CHECK(s.longest_step < 50ms + step_slack);
}

TEST_CASE("probe: step never exceeds a larger budget and zero budgets make progress", "[ssh_probe]")
{
  Adversary silent("127.83.0.53", [](const Peer& peer) { client_closed_within(peer, 5s); });
  BannerProber p("127.83.0.53", silent.port());
  const auto t0 = Clock::now();
  CHECK(p.step(300ms) == ProbeOutcome::pending);
  CHECK(Clock::now() - t0 < 300ms + step_slack);
  CHECK(p.in_flight() >= 2);

  Adversary ok("127.83.0.53", [](const Peer& peer) {
    send_all(peer, "SSH-2.0-zero\r\n");
    client_closed_within(peer, 2s);
  });
  BannerProber z("127.83.0.53", ok.port());
  bool ready = false;
  for (int i = 0; i < 300 && !ready; ++i) {
    ready = z.step(0ms) == ProbeOutcome::ready;
    std::this_thread::sleep_for(5ms);
  }
  CHECK(ready);
}

TEST_CASE("probe: the destructor closes every connection", "[ssh_probe]")
{
  Adversary silent("127.83.0.54", [](const Peer& peer) { client_closed_within(peer, 5s); });
  const std::size_t before = open_fd_count();
  {
    BannerProber p("127.83.0.54", silent.port());
    // Three connections 20 ms apart; a loaded machine may need more than one 100 ms step.
    for (int i = 0; i < 50 && p.in_flight() < 3; ++i) p.step(100ms);
    CHECK(p.in_flight() == 3);
    CHECK(open_fd_count() > before);
  }
  // The adversary's own ends (same process) close once it sees our close: allow it a moment.
  for (int i = 0; i < 200 && open_fd_count() != before; ++i) std::this_thread::sleep_for(10ms);
  CHECK(open_fd_count() == before);
}

TEST_CASE("probe: host names and literals", "[ssh_probe]")
{
  CHECK(to_string(resolve_tcp("127.83.0.9", 22).at(0)) == "127.83.0.9:22");
  CHECK(to_string(resolve_tcp("[::1]", 2222).at(0)) == "[::1]:2222");
  CHECK_FALSE(resolve_tcp("localhost", 22).empty());  // /etc/hosts, no DNS
  try {
    BannerProber p("", 22);
    FAIL("no error for an empty host");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::failure);
    CHECK(std::string(e.what()) ==
          "cannot resolve SSH host '': Name or service not known; set its HostName to an IP "
          "address or a resolvable name in the ssh config");
  }
}

TEST_CASE("tcp_connect_ok tells accepted from refused", "[ssh_probe]")
{
  Adversary adv("127.83.0.55", [](const Peer&) {});
  CHECK(tcp_connect_ok("127.83.0.55", adv.port(), 500ms));
  std::uint16_t port = 0;
  {
    Adversary gone(
        "127.83.0.55", [](const Peer&) {}, false);
    port = gone.port();
  }
  CHECK_FALSE(tcp_connect_ok("127.83.0.55", port, 500ms));
}

TEST_CASE("to_string(ProbeOutcome) gives the words used in progress messages", "[ssh_probe]")
{
  CHECK(std::string(to_string(ProbeOutcome::no_banner)) == "no banner");
  CHECK(std::string(to_string(ProbeOutcome::not_ssh)) == "not SSH");
  CHECK(std::string(to_string(ProbeOutcome::no_route)) == "no route");
  CHECK(std::string(to_string(ProbeOutcome::refused)) == "refused");
}
