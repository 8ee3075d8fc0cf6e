#pragma once
// The InvocationID of a running unit without D-Bus: systemd (>= 233) keeps a symlink
// /run/systemd/units/invocation:<unit> -> <id> for journald while the unit is loaded. Reading
// it costs one readlink(), where asking the bus means loading libsystemd and a round trip; the
// already-running path uses it and falls back to the bus whenever it is absent or odd.
#include <optional>
#include <string>

namespace mvh {

// The 32-hex-digit InvocationID systemd recorded for unit, or nullopt when there is no such
// link or it does not hold a well-formed ID (never throws). A stopped unit may keep its last
// ID until systemd unloads it: callers must check that the VM answers, too.
std::optional<std::string> runtime_invocation_id(const std::string& unit);

}  // namespace mvh
