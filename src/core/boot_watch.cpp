#include "core/boot_watch.hpp"

#include <array>
#include <utility>

namespace mvh {
namespace {

struct ResultText {
  std::string_view result;
  std::string_view explanation;
};

// systemd's job results (src/systemctl and bus-wait-for-jobs.c), in words.
constexpr std::array<ResultText, 10> k_results{{
    {"canceled", "the start job was canceled (a stop or another start replaced it)"},
    {"timeout", "the start job timed out (TimeoutStartSec passed)"},
    {"failed", "the unit failed to start (its process exited or could not be run)"},
    {"dependency",
     "a unit it requires failed to start (look at microvm-virtiofsd@, microvm-tap-interfaces@)"},
    {"skipped", "the start job was skipped (the unit was not startable)"},
    {"invalid", "the start job is invalid for this unit (is it a template without instance?)"},
    {"assert", "an Assert* condition of the unit failed"},
    {"unsupported", "the unit type is not supported on this system"},
    {"collected", "the start job was garbage-collected before it ran"},
    {"once", "the unit can only be started once"},
}};

}  // namespace

std::string explain_job_result(std::string_view result)
{
  for (const auto& r : k_results)
    if (r.result == result) return std::string(r.explanation);
  return "the start job ended with result '" + std::string(result) + "'";
}

std::string look_further(std::string_view unit)
{
  const std::string u(unit);
  return "See \"systemctl status " + u + "\" and \"journalctl -u " + u + "\" for details.";
}

BootWatch::BootWatch(std::string unit, std::string name, const UnitState& baseline)
    : unit_(std::move(unit)), name_(std::move(name)), baseline_restarts_(baseline.n_restarts)
{
}

BootVerdict BootWatch::job_finished(std::string_view result)
{
  if (result == "done") return {};
  if (result == "dependency")
    return {BootProblem::job_failed, "Failed to start " + unit_ +
                                         ": a unit it requires failed to start (job result "
                                         "'dependency'); look at microvm-virtiofsd@" +
                                         name_ + ".service and microvm-tap-interfaces@" + name_ +
                                         ".service"};
  return {BootProblem::job_failed, "Failed to start " + unit_ + ": " +
                                       explain_job_result(result) + " (job result '" +
                                       std::string(result) + "')"};
}

BootVerdict BootWatch::observe(const UnitState& s)
{
  if (s.active_state == "active") seen_running_ = true;
  if (s.active_state == "failed")
    return {BootProblem::failed, "Failed to start " + unit_ + ": the unit failed (result '" +
                                     s.result + "')"};
  if (s.sub_state == "auto-restart" || s.n_restarts > baseline_restarts_) {
    const auto restarts = s.n_restarts - baseline_restarts_;
    if (restarts >= 2)
      return {BootProblem::crash_loop,
              "Failed to start " + unit_ + ": it keeps crashing (restarted " +
                  std::to_string(restarts) + " times, last result '" + s.result +
                  "'); stopped waiting"};
  }
  if (s.active_state == "inactive" && !s.condition_result)
    return {BootProblem::not_installed,
            "Failed to start " + unit_ + ": the VM is not installed (ConditionPathExists is "
            "not met, so systemd skipped it); rebuild the host (microvm-here without "
            "--no-rebuild runs the rebuild) or run: systemctl start install-microvm-" +
                name_ + ".service"};
  if (s.active_state == "inactive" && s.sub_state != "auto-restart")
    return {BootProblem::stopped, "Failed to start " + unit_ + ": the unit is inactive again (" +
                                      (s.result.empty() ? std::string("it exited")
                                                        : "result '" + s.result + "'") +
                                      ")"};
  return {};
}

}  // namespace mvh
