#pragma once
// What an installed VM that has no profile still holds: its runner names its tap and MAC (and,
// when the runner passes it, its address), so they are not handed to a new VM while it may
// run (pure; src/app reads the files).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ipv4.hpp"
#include "core/profiles.hpp"

namespace mvh {

// Values a runner script uses, as entries the allocator treats as taken (each entry carries
// one kind of value; name is set on all): every `ifname=X` / `tap=X` interface name, every
// MAC address (six hex pairs with ':'), and every IPv4 address inside subnet. Never fails.
std::vector<ProfileEntry> values_in_runner(std::string_view name, std::string_view runner,
                                           const Subnet& subnet);

// The unit pattern for ListUnitsByPatterns: unit template with {name} as '*'.
std::string unit_glob(std::string_view unit_template);

// The VM name of unit when it matches unit_template ("microvm@x.service" -> "x"), else nullopt.
std::optional<std::string> name_of_unit(std::string_view unit_template, std::string_view unit);

}  // namespace mvh
