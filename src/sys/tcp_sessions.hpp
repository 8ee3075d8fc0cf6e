#pragma once
// Live connections from this machine (its network namespace) to an address.
#include <cstdint>
#include <string>

namespace mvh {

// ESTABLISHED TCP connections to host:port in /proc/net/tcp and /proc/net/tcp6 (host: an IPv4
// address; anything else counts 0). Unreadable tables count 0. Never fails.
int established_connections_to(const std::string& host, std::uint16_t port);

}  // namespace mvh
