#include "sys/tcp_socket.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace mvh {

namespace {

std::string strip_brackets(const std::string& host)
{
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

// Literals are the common case (HostName is the VM's IP): no resolver, no NSS modules loaded.
bool parse_literal(const std::string& host, std::uint16_t port, SockAddr& out)
{
  sockaddr_in v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    std::memcpy(&out.storage, &v4, sizeof v4);
    out.len = sizeof v4;
    return true;
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    std::memcpy(&out.storage, &v6, sizeof v6);
    out.len = sizeof v6;
    return true;
  }
  return false;
}

}  // namespace

std::vector<SockAddr> resolve_tcp(const std::string& host_in, std::uint16_t port)
{
  const std::string host = strip_brackets(host_in);
  SockAddr literal;
  if (parse_literal(host, port, literal)) return {literal};

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  const int rc =
      host.empty() ? EAI_NONAME : getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  std::vector<SockAddr> out;
  for (addrinfo* ai = res; rc == 0 && ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SockAddr a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.len = ai->ai_addrlen;
    out.push_back(a);
  }
  if (res != nullptr) freeaddrinfo(res);
  if (out.empty()) {
    const std::string cause = rc == 0 ? "no TCP address" : gai_strerror(rc);
    throw failure("cannot resolve SSH host '" + host_in + "': " + cause +
                  "; set its HostName to an IP address or a resolvable name in the ssh config");
  }
  return out;
}

std::string to_string(const SockAddr& a)
{
  // Built with append(): GCC 12 warns falsely (-Wrestrict) on chained operator+ at -O3.
  char buf[INET6_ADDRSTRLEN] = "?";
  std::string out;
  std::uint16_t port = 0;
  if (a.storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a.storage);
    inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof buf);
    out.append(buf);
    port = ntohs(v4->sin_port);
  } else {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a.storage);
    inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof buf);
    out.append("[").append(buf).append("]");
    port = ntohs(v6->sin6_port);
  }
  out.append(":").append(std::to_string(port));
  return out;
}

int start_connect(const SockAddr& a, bool& in_progress)
{
  in_progress = false;
  const int fd = socket(a.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a.storage), a.len) == 0) return fd;
  if (errno == EINPROGRESS) {
    in_progress = true;
    return fd;
  }
  const int err = errno;
  close(fd);
  errno = err;
  return -1;
}

int socket_error(int fd)
{
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

}  // namespace mvh
