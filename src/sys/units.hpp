#pragma once
// The service manager, seen through the narrow interface microvm-here needs. The real
// implementation (units_dbus.cpp) speaks D-Bus through libsystemd, dlopen()ed on first use.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/unit_state.hpp"

namespace mvh {

// Thrown (as Error(Exit::vm_start)) subclasses are not used: callers get this distinct type so
// they can fall back to sudo when polkit refuses.
struct AccessDenied {
  std::string message;  // the bus error text
};

class Units {
 public:
  virtual ~Units() = default;
  // Current properties of unit (loading it first: a template instance always reads "loaded").
  // An inactive unit nobody references is garbage-collected at once and then reads as fresh
  // (condition_result true): only the client that started it (start() holds a reference while
  // connected) sees a skipped start's condition_result=false.
  // Throws Error(Exit::failure) when the bus is unreachable.
  virtual UnitState state(const std::string& unit) = 0;
  // Queues a start job ("replace") after installing the JobRemoved match; returns the job path.
  // Also takes a reference on the unit (RefUnit) so its state survives until we disconnect.
  // Throws AccessDenied (message: the bus error text, e.g. "Permission denied") when polkit/the
  // bus refuses, Error(Exit::vm_start) "Failed to start <unit>: <cause>" on other bus errors.
  virtual std::string start(const std::string& unit) = 0;
  // Same for StopUnit / RestartUnit.
  virtual std::string stop(const std::string& unit) = 0;
  virtual std::string restart(const std::string& unit) = 0;
  // Watches a job queued by someone else (e.g. our sudo helper): subscribes and returns
  // nothing; job_result() then reports it, or "unknown" when the job had already finished
  // before the subscription (its result is lost: read state() instead). Throws
  // Error(Exit::failure) when the bus refuses the subscription.
  virtual void watch_job(const std::string& job_path) = 0;
  // Processes pending bus messages without blocking longer than timeout_ms; returns the job's
  // result ("done", "failed", "dependency", "timeout", "canceled", "skipped", ...) once its
  // JobRemoved signal was seen, else nullopt.
  virtual std::optional<std::string> job_result(const std::string& job_path, int timeout_ms) = 0;
  // Names of the units that match the glob and are up (active, activating, deactivating or
  // reloading; ListUnitsByPatterns): every running instance of a template, whatever its
  // profile says. Units merely loaded (a status query loads one) are left out. Throws
  // Error(Exit::failure) when the bus refuses.
  virtual std::vector<std::string> units_matching(const std::string& glob) = 0;
};

// Where the system bus is: the user's commands honour DBUS_SYSTEM_BUS_ADDRESS (like systemctl);
// the privileged step uses only the standard socket, because an address can also name a
// program to run (sd-bus's "unixexec:"), which as root would run it as root.
enum class SystemBus { from_environment, standard_socket };
constexpr const char* k_system_bus_socket = "/run/dbus/system_bus_socket";

// The real implementation on the system bus. Throws Error(Exit::failure) naming libsystemd.so.0
// when it cannot be loaded, or the bus address when it cannot connect.
std::unique_ptr<Units> connect_system_units(SystemBus where = SystemBus::from_environment);

}  // namespace mvh
