#pragma once
// A systemd unit's state as microvm-here reads it (plain data, filled by sys/units).
#include <cstdint>
#include <string>

namespace mvh {

struct UnitState {
  std::string load_state;    // "loaded", "not-found", ...
  std::string active_state;  // "active", "activating", "inactive", "failed", ...
  std::string sub_state;     // "running", "auto-restart", "dead", ...
  std::string result;        // Service.Result: "success", "exit-code", ...
  std::uint32_t n_restarts = 0;
  bool condition_result = true;  // false: the last start was skipped (ConditionPathExists...)
  std::string invocation_id;     // 32 hex digits; empty when the unit never ran
  std::uint64_t main_pid = 0;
};

}  // namespace mvh
