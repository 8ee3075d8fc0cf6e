#include "core/allocator.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "core/error.hpp"

namespace mvh {

namespace {

constexpr std::size_t k_if_name_max = 15;  // IFNAMSIZ - 1

// 02:00:00:00:00:00 plus the low 40 bits of n over the last five octets.
std::string mac_for(std::uint64_t n)
{
  char buf[18];
  std::snprintf(buf, sizeof buf, "02:%02x:%02x:%02x:%02x:%02x",
                static_cast<unsigned>((n >> 32) & 0xff), static_cast<unsigned>((n >> 24) & 0xff),
                static_cast<unsigned>((n >> 16) & 0xff), static_cast<unsigned>((n >> 8) & 0xff),
                static_cast<unsigned>(n & 0xff));
  return buf;
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Allocation allocate(const std::vector<ProfileEntry>& existing, const Subnet& subnet, Ipv4 gateway,
                    bool with_vsock, const std::string& config_path)
{
  std::set<std::uint32_t> ips;
  std::set<std::string> taps, macs;
  std::set<std::int64_t> cids;
  for (const ProfileEntry& e : existing) {
    if (e.ip_address)
      if (auto ip = Ipv4::parse(*e.ip_address); ip && subnet.contains(*ip)) ips.insert(ip->value);
    if (e.tap_id) taps.insert(*e.tap_id);
    if (e.mac) macs.insert(lower(*e.mac));
    if (e.vsock_cid) cids.insert(*e.vsock_cid);
  }

  // Offsets 0 (network), 1 and 2 are never handed out; the last one is the broadcast.
  std::uint64_t k = 3;
  for (; k + 1 < subnet.size(); ++k) {
    std::uint32_t v = subnet.network.value + static_cast<std::uint32_t>(k);
    if (v != gateway.value && ips.count(v) == 0) break;
  }
  if (k + 1 >= subnet.size()) {
    // "In use": distinct host addresses taken by profiles or the gateway.
    std::set<std::uint32_t> in_use = ips;
    if (subnet.contains(gateway)) in_use.insert(gateway.value);
    in_use.erase(subnet.network.value);
    in_use.erase(subnet.broadcast().value);
    throw Error(Exit::config, "no free address in " + subnet.str() + " (" +
                                  std::to_string(in_use.size()) + " in use); widen 'subnet' in " +
                                  config_path);
  }

  Allocation a;
  a.ip = Ipv4{subnet.network.value + static_cast<std::uint32_t>(k)};

  a.tap_id = "microvm" + std::to_string(k - 2);
  for (std::uint64_t n = 1; a.tap_id.size() > k_if_name_max || taps.count(a.tap_id) > 0; ++n)
    a.tap_id = "microvm" + std::to_string(n);

  a.mac = mac_for(k - 1);
  for (std::uint64_t n = 2; macs.count(a.mac) > 0; ++n) a.mac = mac_for(n);

  if (with_vsock) {
    std::int64_t cid = 1000 + static_cast<std::int64_t>(k);
    for (std::int64_t n = 3; cids.count(cid) > 0; ++n) cid = n;
    a.vsock_cid = cid;
  }
  return a;
}

}  // namespace mvh
