// Stand-in written by the config helper only so its branch links; the ipv4 helper's version
// replaces it.
#include "core/ipv4.hpp"

namespace mvh {
namespace {

// Decimal 0..max without sign, spaces or leading zeros; consumes the digits of s.
std::optional<std::uint32_t> parse_number(std::string_view& s, std::uint32_t max)
{
  std::size_t i = 0;
  std::uint32_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (i == 3) return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(s[i] - '0');
    ++i;
  }
  if (i == 0 || (i > 1 && s[0] == '0') || v > max) return std::nullopt;
  s.remove_prefix(i);
  return v;
}

std::uint32_t mask(int prefix)
{
  return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

}  // namespace

std::string Ipv4::str() const
{
  return std::to_string(value >> 24) + '.' + std::to_string((value >> 16) & 0xff) + '.' +
         std::to_string((value >> 8) & 0xff) + '.' + std::to_string(value & 0xff);
}

std::optional<Ipv4> Ipv4::parse(std::string_view s)
{
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    auto octet = parse_number(s, 255);
    if (!octet) return std::nullopt;
    v = v << 8 | *octet;
  }
  if (!s.empty()) return std::nullopt;
  return Ipv4{v};
}

std::optional<Subnet> Subnet::parse(std::string_view s)
{
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = Ipv4::parse(s.substr(0, slash));
  std::string_view rest = s.substr(slash + 1);
  auto prefix = parse_number(rest, 32);
  if (!addr || !prefix || !rest.empty()) return std::nullopt;
  Subnet net{*addr, static_cast<int>(*prefix)};
  if ((addr->value & ~mask(net.prefix)) != 0) return std::nullopt;
  return net;
}

std::string Subnet::str() const
{
  return network.str() + '/' + std::to_string(prefix);
}

bool Subnet::contains(Ipv4 a) const
{
  return (a.value & mask(prefix)) == network.value;
}

Ipv4 Subnet::broadcast() const
{
  return Ipv4{network.value | ~mask(prefix)};
}

std::uint64_t Subnet::size() const
{
  return std::uint64_t{1} << (32 - prefix);
}

}  // namespace mvh
