// Test driver for src/sys/units_dbus.cpp and src/sys/journal.cpp against a real systemd
// (tests/integration/units_dbus.sh runs it inside a private systemd's namespaces).
//   units_tool state UNIT                 key=value lines
//   units_tool start|stop|restart UNIT [TIMEOUT_MS]   job=<result>
//   units_tool start-state UNIT [TIMEOUT_MS]          job=<result>, then the state lines
//   units_tool watch JOB_PATH [TIMEOUT_MS]            job=<result> of someone else's job
//   units_tool journal UNIT N             the last N lines (exit 4 + why when unreadable)
//   units_tool follow UNIT N MS           tail + follow for MS milliseconds
// Exit codes: 0 ok, 2 usage, 3 no job result before the timeout, 4 journal unreadable,
// 10 AccessDenied, else the mvh::Exit code of the Error.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sys/journal.hpp"
#include "sys/units.hpp"

namespace {

int print_job(mvh::Units& units, const std::string& job, int timeout_ms)
{
  auto result = units.job_result(job, timeout_ms);
  std::cout << "job=" << (result ? *result : "<none>") << "\n";
  return result ? 0 : 3;
}

int run(const std::vector<std::string>& args)
{
  const std::string& verb = args.size() > 1 ? args[1] : "";
  const std::string& what = args.size() > 2 ? args[2] : "";
  auto arg_int = [&](std::size_t i, int dflt) {
    return args.size() > i ? std::stoi(args[i]) : dflt;
  };
  if (what.empty()) {
    std::cerr << "usage: units_tool state|start|stop|restart|watch|journal|follow UNIT ...\n";
    return 2;
  }
  if (verb == "journal" || verb == "follow") {
    if (verb == "follow") {
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(arg_int(4, 1000));
      mvh::journal_follow(
          what, arg_int(3, 10), [](const std::string& l) { std::cout << l << std::endl; },
          [&] { return std::chrono::steady_clock::now() >= until; });
      return 0;
    }
    mvh::JournalTail tail = mvh::journal_tail(what, arg_int(3, 10));
    if (!tail.readable) {
      std::cout << "unreadable: " << tail.why << "\n";
      return 4;
    }
    for (const auto& l : tail.lines) std::cout << l << "\n";
    return 0;
  }
  auto units = mvh::connect_system_units();
  auto print_state = [&] {
    mvh::UnitState s = units->state(what);
    std::cout << "LoadState=" << s.load_state << "\nActiveState=" << s.active_state
              << "\nSubState=" << s.sub_state << "\nResult=" << s.result
              << "\nNRestarts=" << s.n_restarts
              << "\nConditionResult=" << (s.condition_result ? "yes" : "no")
              << "\nInvocationID=" << s.invocation_id << "\nMainPID=" << s.main_pid << "\n";
    return 0;
  };
  if (verb == "state") return print_state();
  if (verb == "watch") {
    units->watch_job(what);
    return print_job(*units, what, arg_int(3, 10000));
  }
  std::string job;
  if (verb == "start" || verb == "start-state")
    job = units->start(what);
  else if (verb == "stop")
    job = units->stop(what);
  else if (verb == "restart")
    job = units->restart(what);
  else {
    std::cerr << "units_tool: unknown verb " << verb << "\n";
    return 2;
  }
  std::cerr << "queued " << job << "\n";
  int rc = print_job(*units, job, arg_int(3, 10000));
  // This connection still holds its reference on the unit (units_dbus.cpp, hold()).
  return verb == "start-state" && rc == 0 ? print_state() : rc;
}

}  // namespace

int main(int argc, char** argv)
{
  try {
    return run(std::vector<std::string>(argv, argv + argc));
  } catch (const mvh::AccessDenied& e) {
    std::cout << "access denied: " << e.message << "\n";
    return 10;
  } catch (const mvh::Error& e) {
    std::cout << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
