#pragma once
// Picks ipAddress, tapId, mac and vsockCid for a new profile (pure). See README "Allocation".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ipv4.hpp"
#include "core/profiles.hpp"

namespace mvh {

struct Allocation {
  Ipv4 ip;
  std::string tap_id;
  std::string mac;
  std::optional<std::int64_t> vsock_cid;  // set only when with_vsock
};

// The lowest free host address K >= .3 of subnet (never network, broadcast or gateway); then
// tap "microvm<K-2>", MAC 02:00:00:00:00:<K-1>, CID 1000+K, each taken only when free, else
// the lowest free value of its kind. K is the address's offset in the subnet.
// Throws Error(Exit::config): "no free address in <subnet> (<n> in use); widen 'subnet' in
// <config_path>" when the subnet is full; <n> counts the distinct host addresses of the subnet
// used by profiles or the gateway (a full /24 with gateway .1: 253). Values that are unknown
// (nullopt) or unparsable reserve nothing; MACs compare case-insensitively.
Allocation allocate(const std::vector<ProfileEntry>& existing, const Subnet& subnet, Ipv4 gateway,
                    bool with_vsock, const std::string& config_path);

}  // namespace mvh
