#include "app/boot_wait.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "app/context.hpp"
#include "core/boot_watch.hpp"
#include "core/console_excerpt.hpp"
#include "core/error.hpp"
#include "sys/interrupt.hpp"
#include "sys/journal.hpp"
#include "sys/ssh_probe.hpp"
#include "sys/status_line.hpp"
#include "sys/units.hpp"

namespace mvh {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_since(Clock::time_point t0)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", std::chrono::duration<double>(Clock::now() - t0).count());
  return buf;
}

std::string describe(const UnitState& s)
{
  return s.active_state + "/" + s.sub_state;
}

// The deadline passed: what we last saw on the port and of the unit, with the VM's log.
std::string timeout_message(const BootRequest& req, const BannerProber& prober,
                            const UnitState& last)
{
  std::string seen = "no probe finished";
  if (prober.last_failure() != ProbeOutcome::pending) {
    seen = to_string(prober.last_failure());
    if (!prober.last_detail().empty()) seen += " (" + prober.last_detail() + ")";
  }
  return with_unit_log("SSH on " + req.host + ":" + std::to_string(req.port) +
                           " did not answer within " + std::to_string(req.timeout_s) +
                           "s; last probe: " + seen + "; " + req.unit + " is " + describe(last) +
                           ". Raise the limit with --timeout or 'boot_timeout'",
                       req.unit);
}

// We stop waiting, but systemd would restart a crashing unit for ever (microvm.nix's units have
// Restart=always): stop it when this run started it; else it is someone else's, so say how.
std::string end_crash_loop(Units& units, const BootRequest& req)
{
  const std::string how = "stop it with: microvm-here stop " + req.name;
  if (!req.started) return req.unit + " was running before this run and keeps restarting; " + how;
  try {
    const auto result = units.job_result(units.stop(req.unit), 30000);
    if (result && *result == "done")
      return "Stopped " + req.unit + " (this run started it), so that it does not keep restarting.";
    return req.unit + " keeps restarting: its stop job ended with '" +
           result.value_or("no result within 30 s") + "'; " + how;
  } catch (const AccessDenied& denied) {
    return req.unit + " keeps restarting, and systemd refused to stop it (" + denied.message +
           "); run: sudo systemctl stop " + req.unit;
  } catch (const Error& e) {
    return req.unit + " keeps restarting, and stopping it failed (" + e.what() + "); " + how;
  }
}

}  // namespace

std::string with_unit_log(const std::string& message, const std::string& unit)
{
  std::string out = message + "\n";
  JournalTail j = journal_tail(unit, 15);
  if (!j.readable) {
    out += "(the VM's log is not readable: " + j.why + ")\n";
  } else if (j.lines.empty()) {
    out += "(the journal has no lines from " + unit + ")\n";
  } else {
    out += "Last lines of " + unit + ":\n";
    for (const auto& l : j.lines) out += "  " + l + "\n";
  }
  out += look_further(unit);
  return out;
}

std::string with_run_log(const std::string& message, const std::string& unit,
                         const std::string& invocation_id)
{
  if (invocation_id.empty()) return with_unit_log(message, unit);
  // A crashed kernel's panic line can be 30 lines up, behind the trace: read the run's end.
  JournalTail j = journal_run_tail(unit, invocation_id, 200);
  if (!j.readable || j.lines.empty()) return with_unit_log(message, unit);
  std::string out = message + "\n";
  out += "Last output of " + unit + " before it restarted:\n";
  for (const auto& l : console_excerpt(j.lines, 15)) out += "  " + l + "\n";
  out += look_further(unit);
  return out;
}

namespace {

// "probe: 12 connections (refused 3, closed 2, no banner 6, ready 1); 4 answered after we gave
// up; at the banner the server held 4 of them, ready after 120 ms more": what the guest saw.
std::string probe_summary(const BannerProber& p)
{
  std::string out = "probe: " + std::to_string(p.attempts()) + " connections (";
  bool first = true;
  for (std::size_t i = 1; i < probe_outcome_count; ++i) {
    const auto o = static_cast<ProbeOutcome>(i);
    if (p.count(o) == 0) continue;
    out += (first ? "" : ", ") + std::string(to_string(o)) + " " + std::to_string(p.count(o));
    first = false;
  }
  out += "); " + std::to_string(p.answered_late()) + " answered after we gave up" +
         "; at the banner the server held " + std::to_string(p.held_at_banner()) +
         " of them, ready after " + std::to_string(p.release_waited().count()) + " ms more";
  return out;
}

}  // namespace

BootResult wait_for_ssh(Context& ctx, Units& units, const BootRequest& req)
{
  catch_interrupts();
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::seconds(req.timeout_s);
  BannerProber prober(req.host, req.port);
  BootWatch watch(req.unit, req.name, req.baseline);
  StatusLine status(ctx.err, ctx.env.stderr_tty, ctx.args.quiet);
  const std::string where = req.host + ":" + std::to_string(req.port);
  std::optional<std::string> job = req.job;
  UnitState last = req.baseline;
  std::string ended_run;  // invocation ID of the newest run seen to end (crash loop log)
  auto next_state_check = t0;

  // After a restart the old instance may still serve a banner until its stop completes; that
  // banner means nothing, so until the restart job finished (our own) or the unit shows a new
  // InvocationID (a restart by our sudo step, whose job we cannot see) we do not probe.
  const bool restarting = req.restart;
  while (true) {
    if (interrupted()) {
      status.clear();
      throw Error(Exit::interrupted, "interrupted while waiting for SSH on " + where + " (" +
                                         req.unit +
                                         " keeps running; stop it with: "
                                         "microvm-here stop " +
                                         req.name + ")");
    }
    try {
      const bool old_may_answer =
          restarting && (job || last.invocation_id == req.baseline.invocation_id);
      if (old_may_answer && !job) {  // poll the unit for its new run every 20 ms
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        next_state_check = Clock::now();
      }
      if (!old_may_answer && prober.step(std::chrono::milliseconds(20)) == ProbeOutcome::ready)
        break;
      if (job) {
        if (auto result = units.job_result(*job, old_may_answer ? 20 : 0)) {
          ctx.debug(1, "start job " + *job + " finished: " + *result);
          job.reset();
          next_state_check = Clock::now();  // the InvocationID changes with the job
          BootVerdict v = watch.job_finished(*result);
          if (v.problem != BootProblem::none) {
            status.clear();
            throw Error(Exit::vm_start, with_unit_log(v.message, req.unit));
          }
        }
      }
      const auto now = Clock::now();
      if (now >= next_state_check) {
        next_state_check = now + std::chrono::milliseconds(100);
        const std::string previous_run = last.invocation_id;
        last = units.state(req.unit);
        if (!previous_run.empty() && last.invocation_id != previous_run) ended_run = previous_run;
        BootVerdict v = watch.observe(last);
        if (v.problem == BootProblem::crash_loop) {
          status.clear();
          // While waiting to restart, the unit still carries the ID of the run that just ended.
          const bool between_runs = last.sub_state == "auto-restart";
          throw Error(Exit::vm_start, with_run_log(v.message, req.unit,
                                                   between_runs ? last.invocation_id : ended_run) +
                                          "\n" + end_crash_loop(units, req));
        }
        if (v.problem != BootProblem::none) {
          status.clear();
          throw Error(Exit::vm_start, with_unit_log(v.message, req.unit));
        }
      }
      if (now >= deadline) {
        status.clear();
        throw Error(Exit::ssh_timeout, timeout_message(req, prober, last));
      }
    } catch (const Error&) {
      // Ctrl-C interrupts a bus call (EINTR) and surfaces as its error: report the interrupt.
      if (interrupted()) continue;
      throw;
    }
    std::string phase = last.active_state == "active" ? "waiting for SSH" : "starting " + req.unit;
    std::string detail = seconds_since(t0) + ", " + describe(last);
    if (prober.last_failure() != ProbeOutcome::pending)
      detail += ", last probe of " + where + ": " + to_string(prober.last_failure());
    status.update(phase, detail);
  }
  status.clear();
  ctx.debug(2, probe_summary(prober));
  BootResult r;
  r.banner = prober.banner();
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  // The state read at most 100 ms ago is good enough for the readiness stamp, and saves a bus
  // round trip between the banner and the exec.
  r.invocation_id =
      last.invocation_id.empty() ? units.state(req.unit).invocation_id : last.invocation_id;
  return r;
}

}  // namespace mvh
