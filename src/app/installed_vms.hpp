#pragma once
// VMs the host still has although profiles.nix no longer names them: installed (a runner under
// state_dir) or running (a loaded instance of the unit template). stop/status/list see them,
// and register never hands out what they hold.
#include <string>
#include <vector>

#include "core/profiles.hpp"
#include "core/unit_state.hpp"

namespace mvh {

struct Config;
struct Context;
class Units;

// <state_dir>/<name>/current/bin/microvm-run
std::string runner_path(const Config& cfg, const std::string& name);
bool is_installed(const Config& cfg, const std::string& name);

// True when the unit is up and runs another generation than the installed one: the rebuild
// installed a new runner (<state_dir>/<name>/current) after the VM booted (<name>/booted).
bool runs_old_generation(const Config& cfg, const std::string& name, const UnitState& st);

// Names that are installed or have a loaded unit (units may be null: installed ones only) and
// are not in entries, sorted. A bus error while listing units is ignored (installed ones only).
std::vector<std::string> vms_without_profile(const Config& cfg,
                                             const std::vector<ProfileEntry>& entries,
                                             Units* units);

// What those installed VMs still hold, as entries for the allocator: the values their runner
// names (tap, MAC, addresses inside the subnet) and the address the ready stamp recorded when
// we last entered them. A runner that cannot be read holds nothing.
std::vector<ProfileEntry> values_held_without_profile(const Context& ctx, const Config& cfg,
                                                      const std::vector<ProfileEntry>& entries);

}  // namespace mvh
