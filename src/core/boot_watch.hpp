#pragma once
// Judging a VM unit while it starts (pure): job results and unit states become a verdict with
// the explanation a person needs. Fed by the caller's observations; knows no bus.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/unit_state.hpp"

namespace mvh {

enum class BootProblem {
  none,
  job_failed,     // the start job ended with a result other than "done"
  failed,         // ActiveState=failed
  crash_loop,     // auto-restart with NRestarts risen by 2 since we started
  not_installed,  // inactive with ConditionResult=no (ConditionPathExists unmet)
  stopped,        // inactive although we started it (exited cleanly, or stopped by someone)
};

struct BootVerdict {
  BootProblem problem = BootProblem::none;
  std::string message;  // "Failed to start microvm@x.service: ..." (no journal, no hints)
};

// Explanation of a start job result, e.g. "dependency" -> "a unit it requires failed to start".
std::string explain_job_result(std::string_view result);

class BootWatch {
 public:
  // unit: the unit name; name: the VM name (for hints); baseline: state before our start.
  BootWatch(std::string unit, std::string name, const UnitState& baseline);
  // The start job finished with result; problem unless "done".
  BootVerdict job_finished(std::string_view result);
  // A fresh observation of the unit while we wait; problem once it failed, crash-loops,
  // was skipped or went inactive.
  BootVerdict observe(const UnitState& s);

 private:
  std::string unit_;
  std::string name_;
  std::uint32_t baseline_restarts_ = 0;
  bool seen_running_ = false;
};

// The lines that end every start error: where to look further.
std::string look_further(std::string_view unit);

}  // namespace mvh
