#pragma once
// Reading the kernel's TCP socket tables (/proc/net/tcp, /proc/net/tcp6) as text (pure).
#include <cstdint>
#include <string_view>

#include "core/ipv4.hpp"

namespace mvh {

// How many sockets of table (the text of /proc/net/tcp or /proc/net/tcp6; IPv6 rows count when
// the remote address is remote mapped to IPv6) are ESTABLISHED connections to remote:port, i.e.
// ssh clients of this machine connected to a VM. Malformed lines are skipped. Never fails.
int count_established_to(std::string_view table, Ipv4 remote, std::uint16_t port);

}  // namespace mvh
