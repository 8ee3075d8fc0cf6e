#include "core/tcp_table.hpp"

#include <cstdio>
#include <cstring>
#include <string>

namespace mvh {
namespace {

// The kernel prints each 32-bit word of an address as the host-order value of its network
// bytes: 127.0.0.1 is "0100007F" on a little-endian machine.
std::string kernel_hex(std::uint32_t network_order_bytes_as_host)
{
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08X", network_order_bytes_as_host);
  return buf;
}

std::uint32_t as_kernel_word(Ipv4 ip)
{
  const unsigned char bytes[4] = {
      static_cast<unsigned char>(ip.value >> 24), static_cast<unsigned char>(ip.value >> 16),
      static_cast<unsigned char>(ip.value >> 8), static_cast<unsigned char>(ip.value)};
  std::uint32_t word = 0;
  std::memcpy(&word, bytes, 4);
  return word;
}

// The n-th (0-based) whitespace-separated field of line.
std::string_view field(std::string_view line, int n)
{
  std::size_t i = 0;
  for (int k = 0;; ++k) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (k == n || i == line.size()) return line.substr(i, j - i);
    i = j;
  }
}

}  // namespace

int count_established_to(std::string_view table, Ipv4 remote, std::uint16_t port)
{
  char port_hex[5];
  std::snprintf(port_hex, sizeof port_hex, "%04X", port);
  const std::string v4 = kernel_hex(as_kernel_word(remote)) + ":" + port_hex;
  const std::string v6 = "0000000000000000" + kernel_hex(as_kernel_word(Ipv4{0x0000ffff})) + v4;
  int n = 0;
  while (!table.empty()) {
    const auto nl = table.find('\n');
    const std::string_view line = table.substr(0, nl);
    table.remove_prefix(nl == std::string_view::npos ? table.size() : nl + 1);
    const std::string_view rem = field(line, 2);
    if (field(line, 3) == "01" && (rem == v4 || rem == v6)) ++n;
  }
  return n;
}

}  // namespace mvh
