#pragma once
// Small nonblocking TCP helpers shared by the SSH probe: address resolution and connect.
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mvh {

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = 0;
};

// The TCP addresses of host:port; host is an IPv4/IPv6 literal (IPv6 optionally in brackets,
// resolved without DNS) or a name (getaddrinfo, may block). Throws Error(Exit::failure)
// "cannot resolve SSH host '<host>': <cause>; ..." when there is none.
std::vector<SockAddr> resolve_tcp(const std::string& host, std::uint16_t port);

// "127.0.0.1:22" or "[::1]:22".
std::string to_string(const SockAddr& a);

// Starts a nonblocking, close-on-exec connect to a. Returns the fd with in_progress telling
// whether the connect is still pending; -1 with errno set when it failed at once.
int start_connect(const SockAddr& a, bool& in_progress);

// The pending error of a socket (SO_ERROR) after its connect finished; 0 when connected.
int socket_error(int fd);

}  // namespace mvh
