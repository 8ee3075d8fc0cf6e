#include "sys/ssh_probe.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/error.hpp"
#include "sys/ssh_probe_conn.hpp"

namespace mvh {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* to_string(ProbeOutcome o)
{
  switch (o) {
    case ProbeOutcome::pending:
      return "pending";
    case ProbeOutcome::refused:
      return "refused";
    case ProbeOutcome::reset:
      return "reset";
    case ProbeOutcome::closed:
      return "closed";
    case ProbeOutcome::no_banner:
      return "no banner";
    case ProbeOutcome::not_ssh:
      return "not SSH";
    case ProbeOutcome::no_route:
      return "no route";
    case ProbeOutcome::error:
      return "error";
    case ProbeOutcome::ready:
      return "ready";
  }
  return "?";
}

namespace {

std::string lower_strerror(int err)
{
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string ms_text(milliseconds d)
{
  return std::to_string(d.count()) + " ms";
}

timespec to_timespec(Clock::duration d)
{
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace

BannerProber::BannerProber(std::string host, std::uint16_t port, ProbeOptions opts)
    : host_(std::move(host)), port_(port), opts_(opts)
{
  opts_.max_in_flight = std::max(opts_.max_in_flight, 1);
  opts_.settled_in_flight = std::max(opts_.settled_in_flight, 1);
  opts_.max_held = std::max(opts_.max_held, 1);
  opts_.settled_window = std::max(opts_.settled_window, milliseconds(1));
  opts_.retry_interval = std::max(opts_.retry_interval, milliseconds(0));
  opts_.max_line = std::max<std::size_t>(opts_.max_line, 16);
  opts_.max_total = std::max(opts_.max_total, opts_.max_line);
  addrs_ = resolve_tcp(host_, port_);
}

BannerProber::~BannerProber() = default;

void BannerProber::start_connection(Clock::time_point now)
{
  next_start_ = now + opts_.retry_interval;
  const SockAddr& addr = addrs_[next_addr_++ % addrs_.size()];
  ++attempts_;
  auto c = std::make_unique<Conn>(opts_.max_line);
  c->started = now;
  c->window = peer_closed_ ? opts_.settled_window : opts_.read_window;
  bool in_progress = false;
  c->fd = start_connect(addr, in_progress);
  if (c->fd < 0) {
    finish_errno(*c, errno);
    return;
  }
  c->connecting = in_progress;
  conns_.push_back(std::move(c));
}

void BannerProber::finish(Conn& c, ProbeOutcome o, std::string detail)
{
  c.done = true;
  ++counts_[static_cast<std::size_t>(o)];
  if (o == ProbeOutcome::closed) peer_closed_ = true;
  last_failure_ = o;
  last_detail_ = std::move(detail);
}

void BannerProber::finish_errno(Conn& c, int err)
{
  if (c.reader.other_seen()) {
    finish(c, ProbeOutcome::not_ssh,
           "got '" + c.reader.first_other() + "' instead of an SSH banner");
  } else if (err == ECONNREFUSED) {
    finish(c, ProbeOutcome::refused, "connection refused");
  } else if (err == ECONNRESET || err == EPIPE) {
    finish(c, ProbeOutcome::reset,
           c.connecting ? "connection reset while connecting"
                        : "connection reset before the SSH banner");
  } else if (err == EHOSTUNREACH || err == ENETUNREACH || err == ETIMEDOUT || err == EHOSTDOWN ||
             err == ENETDOWN) {
    finish(c, ProbeOutcome::no_route, lower_strerror(err));
  } else {
    finish(c, ProbeOutcome::error, lower_strerror(err));
  }
}

void BannerProber::become_ready(std::string banner)
{
  ready_ = true;
  banner_at_ = Clock::now();
  banner_ = std::move(banner);
  ++counts_[static_cast<std::size_t>(ProbeOutcome::ready)];
}

void BannerProber::expire(Clock::time_point now)
{
  for (auto& c : conns_) {
    if (c->done || c->released || now - c->started < c->window) continue;
    const std::string window = ms_text(c->window);
    if (c->connecting) {
      finish(*c, ProbeOutcome::no_route, "connect did not complete within " + window);
    } else if (c->reader.other_seen()) {
      finish(*c, ProbeOutcome::not_ssh,
             "got '" + c->reader.first_other() + "' instead of an SSH banner");
    } else if (c->total > 0) {
      finish(*c, ProbeOutcome::no_banner,
             "no complete SSH banner within " + window + " (" + std::to_string(c->total) +
                 (c->total == 1 ? " byte" : " bytes") + " received)");
      release(*c);
    } else {
      finish(*c, ProbeOutcome::no_banner, "connected, but no SSH banner within " + window);
      release(*c);
    }
  }
}

void BannerProber::on_connect_event(Conn& c)
{
  const int err = socket_error(c.fd);
  if (err != 0) {
    finish_errno(c, err);
    return;
  }
  c.connecting = false;
}

void BannerProber::on_read_event(Conn& c)
{
  char buf[4096];
  const std::size_t room = std::min(sizeof buf, opts_.max_total - c.total);
  const ssize_t n = read(c.fd, buf, room);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) finish_errno(c, errno);
    return;
  }
  if (n == 0) {
    if (c.reader.other_seen())
      finish(c, ProbeOutcome::not_ssh,
             "got '" + c.reader.first_other() + "' instead of an SSH banner");
    else
      finish(c, ProbeOutcome::closed, "connection closed before the SSH banner");
    return;
  }
  c.total += static_cast<std::size_t>(n);
  max_bytes_read_ = std::max(max_bytes_read_, c.total);
  feed(c, buf, static_cast<std::size_t>(n));
  if (!c.done && !ready_ && c.total >= opts_.max_total)
    finish(c, ProbeOutcome::not_ssh,
           "no SSH banner in the first " + std::to_string(opts_.max_total) + " bytes");
}

void BannerProber::feed(Conn& c, const char* data, std::size_t n)
{
  BannerVerdict verdict = c.reader.feed(data, n);
  if (verdict.kind == BannerVerdict::Kind::ready) {
    become_ready(std::move(verdict.text));
    release(c);
  } else if (verdict.kind == BannerVerdict::Kind::not_ssh) {
    finish(c, ProbeOutcome::not_ssh, std::move(verdict.text));
  }
}

ProbeOutcome BannerProber::step(milliseconds budget)
{
  if (reported_ready_) return ProbeOutcome::ready;
  const auto deadline = Clock::now() + std::max(budget, milliseconds(0));
  std::vector<pollfd> pfds;
  const auto is_done = [](const auto& c) { return c->done; };
  for (;;) {
    auto now = Clock::now();
    expire(now);
    std::erase_if(conns_, is_done);
    if (ready_ && may_report_ready(now)) return ProbeOutcome::ready;
    const int limit =
        peer_closed_ ? std::min(opts_.max_in_flight, opts_.settled_in_flight) : opts_.max_in_flight;
    for (int i = 0; i < limit && !ready_; ++i) {
      if (static_cast<int>(in_flight()) >= limit || now < next_start_) break;
      start_connection(now);
    }

    auto wake = deadline;
    if (ready_) wake = std::min(wake, banner_at_ + opts_.release_wait);
    if (!ready_ && static_cast<int>(in_flight()) < limit) wake = std::min(wake, next_start_);
    pfds.clear();
    for (const auto& c : conns_) {
      if (!c->released) wake = std::min(wake, c->started + c->window);
      pfds.push_back(pollfd{c->fd, static_cast<short>(c->connecting ? POLLOUT : POLLIN), 0});
    }
    const timespec timeout = to_timespec(std::max(wake - now, Clock::duration::zero()));
    const int rc = ppoll(pfds.data(), pfds.size(), &timeout, nullptr);
    for (std::size_t i = 0; rc > 0 && i < pfds.size(); ++i) {
      if (pfds[i].revents == 0) continue;
      Conn& c = *conns_[i];
      if (c.done) continue;
      if (c.released)
        on_released_event(c);
      else if (ready_)
        continue;  // handled below: released or closed unread
      else if (c.connecting)
        on_connect_event(c);  // a connect that completed with data queued is read next round
      else
        on_read_event(c);
    }
    if (ready_) {
      for (auto& c : conns_)
        if (!c->released) release(*c);
    }
    std::erase_if(conns_, is_done);
    now = Clock::now();
    if (ready_ && may_report_ready(now)) return ProbeOutcome::ready;
    if (now >= deadline) return ProbeOutcome::pending;
  }
}

bool tcp_connect_ok(const std::string& host, std::uint16_t port, milliseconds timeout)
{
  std::vector<SockAddr> addrs;
  try {
    addrs = resolve_tcp(host, port);
  } catch (const Error&) {
    return false;
  }
  const auto deadline = Clock::now() + timeout;
  for (const SockAddr& a : addrs) {
    bool in_progress = false;
    const int fd = start_connect(a, in_progress);
    if (fd < 0) continue;
    bool ok = !in_progress;
    while (!ok) {
      const auto left = deadline - Clock::now();
      if (left <= Clock::duration::zero()) break;
      pollfd p{fd, POLLOUT, 0};
      const timespec ts = to_timespec(left);
      const int rc = ppoll(&p, 1, &ts, nullptr);
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0) break;
      ok = socket_error(fd) == 0;
      break;
    }
    close(fd);
    if (ok) return true;
  }
  return false;
}

}  // namespace mvh
