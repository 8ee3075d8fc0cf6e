#pragma once
// Waiting for a starting VM: SSH banner probes and the unit's state at the same time, with a
// deadline, a live phase line, and the VM's own log lines when it fails.
#include <cstdint>
#include <optional>
#include <string>

#include "core/unit_state.hpp"

namespace mvh {

struct Context;
class Units;

struct BootRequest {
  std::string name;
  std::string unit;
  std::string host;
  std::uint16_t port = 22;
  int timeout_s = 120;
  std::optional<std::string> job;  // our start job, when we queued it over the bus
  UnitState baseline;              // the unit's state before we started it
  bool restart = false;            // we (or our sudo step) restarted a running unit
  bool started = false;            // this run started (or restarted) the unit
};

struct BootResult {
  std::string invocation_id;  // of the unit when the banner arrived
  std::string banner;
  double seconds = 0;
};

// Returns once a "SSH-2.0-" banner arrived. Throws Error(Exit::vm_start) when the job or the
// unit fails (crash loop after the second restart, condition unmet, inactive), with the unit's
// last 15 journal lines (for a crash loop: the end of the last run that ended, see
// with_run_log, and the unit stopped when req.started, else how to stop it);
// Error(Exit::ssh_timeout) at the deadline, naming the last probe outcome and the unit state;
// Error(Exit::interrupted) on Ctrl-C.
BootResult wait_for_ssh(Context& ctx, Units& units, const BootRequest& req);

// message + the unit's last 15 journal lines (or why they cannot be read) + where to look.
std::string with_unit_log(const std::string& message, const std::string& unit);

// message + "Last output of UNIT before it restarted:" + console_excerpt (15 lines) of the run
// invocation_id + where to look; with_unit_log when the id is empty or that run left no lines.
std::string with_run_log(const std::string& message, const std::string& unit,
                         const std::string& invocation_id);

}  // namespace mvh
