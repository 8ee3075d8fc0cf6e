#include "core/ipv4.hpp"

#include <charconv>

namespace mvh {

namespace {

// A decimal number without sign, spaces or leading zeros ("0" itself is fine), at most max.
std::optional<std::uint32_t> parse_decimal(std::string_view s, std::uint32_t max)
{
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

std::uint32_t mask_of(int prefix)
{
  return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

}  // namespace

std::string Ipv4::str() const
{
  return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xff) + "." +
         std::to_string((value >> 8) & 0xff) + "." + std::to_string(value & 0xff);
}

std::optional<Ipv4> Ipv4::parse(std::string_view s)
{
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = s.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return std::nullopt;
    auto octet = parse_decimal(s.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    v = (v << 8) | *octet;
    s = i < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return Ipv4{v};
}

std::optional<Subnet> Subnet::parse(std::string_view s)
{
  std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = Ipv4::parse(s.substr(0, slash));
  auto prefix = parse_decimal(s.substr(slash + 1), 32);
  if (!addr || !prefix) return std::nullopt;
  int p = static_cast<int>(*prefix);
  if ((addr->value & ~mask_of(p)) != 0) return std::nullopt;
  return Subnet{*addr, p};
}

std::string Subnet::str() const
{
  return network.str() + "/" + std::to_string(prefix);
}

bool Subnet::contains(Ipv4 a) const
{
  return (a.value & mask_of(prefix)) == network.value;
}

Ipv4 Subnet::broadcast() const
{
  return Ipv4{network.value | ~mask_of(prefix)};
}

std::uint64_t Subnet::size() const
{
  return std::uint64_t{1} << (32 - prefix);
}

}  // namespace mvh
