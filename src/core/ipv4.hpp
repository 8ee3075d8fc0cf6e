#pragma once
// IPv4 addresses and CIDR subnets (pure).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mvh {

struct Ipv4 {
  std::uint32_t value = 0;  // host byte order
  // Dotted quad, e.g. "192.168.83.5".
  std::string str() const;
  // nullopt unless s is exactly four decimal octets 0..255 without leading zeros or spaces.
  static std::optional<Ipv4> parse(std::string_view s);
  auto operator<=>(const Ipv4&) const = default;
};

struct Subnet {
  Ipv4 network;    // address with host bits cleared
  int prefix = 0;  // 0..32
  // nullopt unless s is "a.b.c.d/n" with n in 0..32 and no host bits set.
  static std::optional<Subnet> parse(std::string_view s);
  std::string str() const;
  bool contains(Ipv4 a) const;
  Ipv4 broadcast() const;
  // Number of addresses including network and broadcast (2^(32-prefix)).
  std::uint64_t size() const;
};

}  // namespace mvh
