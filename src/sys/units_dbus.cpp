// Units over the system bus (org.freedesktop.systemd1), through the dlopen()ed libsystemd.
//
// Unit state is read from the unit's object path (sd_bus_path_encode of the name) rather than
// via GetUnit: GetUnit answers NoSuchUnit ("Unit microvm@x.service not loaded.") for a template
// instance nobody loaded yet, whereas a property read on the encoded path makes systemd load
// the unit first (LoadState "loaded" for microvm@<anything>, "not-found" when no unit file
// matches), so one GetAll per interface is enough: no GetUnit/LoadUnit round trip.
#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sys/dbus_reply.hpp"
#include "sys/libsystemd.hpp"
#include "sys/units.hpp"

namespace mvh {
namespace {

constexpr const char* bus_name = "org.freedesktop.systemd1";
constexpr const char* manager_path = "/org/freedesktop/systemd1";
constexpr const char* manager_iface = "org.freedesktop.systemd1.Manager";
constexpr const char* properties_iface = "org.freedesktop.DBus.Properties";

bool is_access_denied(const BusError& e)
{
  return e.is(SD_BUS_ERROR_ACCESS_DENIED) || e.is(SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED);
}

const std::string& standard_address()
{
  static const std::string a = std::string("unix:path=") + k_system_bus_socket;
  return a;
}

std::string bus_address()
{
  const char* a = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
  return a != nullptr ? a : standard_address();
}

// What sd_bus_open_system does, minus the environment: a client of the bus at the standard
// socket, trusting no peer.
int open_standard_socket(sd_bus** ret)
{
  const LibSystemd& sd = libsystemd();
  sd_bus* bus = nullptr;
  int r = sd.sd_bus_new(&bus);
  if (r < 0) return r;
  if ((r = sd.sd_bus_set_address(bus, standard_address().c_str())) < 0 ||
      (r = sd.sd_bus_set_bus_client(bus, 1)) < 0 || (r = sd.sd_bus_set_trusted(bus, 0)) < 0 ||
      (r = sd.sd_bus_start(bus)) < 0) {
    sd.sd_bus_unref(bus);
    return r;
  }
  *ret = bus;
  return 0;
}

class DbusUnits final : public Units {
 public:
  explicit DbusUnits(sd_bus* bus) : bus_(bus) {}
  DbusUnits(const DbusUnits&) = delete;
  DbusUnits& operator=(const DbusUnits&) = delete;
  ~DbusUnits() override
  {
    libsystemd().sd_bus_slot_unref(job_removed_);
    libsystemd().sd_bus_flush_close_unref(bus_);
  }

  UnitState state(const std::string& unit) override
  {
    const std::string path = unit_path(unit);
    UnitState s;
    // ConditionResult reads "no" until the conditions were first checked (ConditionTimestamp 0).
    int condition = 1;
    std::uint64_t checked_at = 0;
    get_all(unit, path, "org.freedesktop.systemd1.Unit",
            [&](const std::string& n, sd_bus_message* m) {
              const LibSystemd& sd = libsystemd();
              if (n == "LoadState") return read_string_property(m, s.load_state);
              if (n == "ActiveState") return read_string_property(m, s.active_state);
              if (n == "SubState") return read_string_property(m, s.sub_state);
              if (n == "ConditionResult")
                return sd.sd_bus_message_read(m, "v", "b", &condition) >= 0;
              if (n == "ConditionTimestamp")
                return sd.sd_bus_message_read(m, "v", "t", &checked_at) >= 0;
              if (n == "InvocationID") return read_id_property(m, s.invocation_id);
              return false;
            });
    s.condition_result = checked_at == 0 || condition != 0;
    if (unit.size() > 8 && unit.compare(unit.size() - 8, 8, ".service") == 0) {
      get_all(unit, path, "org.freedesktop.systemd1.Service",
              [&](const std::string& n, sd_bus_message* m) {
                if (n == "Result") return read_string_property(m, s.result);
                if (n != "NRestarts" && n != "MainPID") return false;
                std::uint32_t u = 0;
                bool ok = libsystemd().sd_bus_message_read(m, "v", "u", &u) >= 0;
                if (n == "NRestarts")
                  s.n_restarts = u;
                else
                  s.main_pid = u;
                return ok;
              });
    }
    return s;
  }

  std::string start(const std::string& unit) override
  {
    hold(unit);
    return queue("StartUnit", "start", unit);
  }
  std::string stop(const std::string& unit) override { return queue("StopUnit", "stop", unit); }
  std::string restart(const std::string& unit) override
  {
    hold(unit);
    return queue("RestartUnit", "restart", unit);
  }

  void watch_job(const std::string& job_path) override
  {
    install_job_match();
    if (!subscribed_) {
      // Without a subscription systemd sends JobRemoved only to the client that queued the job.
      BusError e;
      int r = libsystemd().sd_bus_call_method(bus_, bus_name, manager_path, manager_iface,
                                              "Subscribe", e.get(), nullptr, "");
      if (r < 0) throw bus_failure("subscribe to systemd's job signals", e, r);
      subscribed_ = true;
    }
    // The job may have finished before we subscribed: then its signal is lost for good.
    BusError e;
    BusMessage reply;
    int r = libsystemd().sd_bus_call_method(bus_, bus_name, job_path.c_str(), properties_iface,
                                            "Get", e.get(), &reply.m, "ss",
                                            "org.freedesktop.systemd1.Job", "State");
    if (r >= 0) return;
    if (!e.is(SD_BUS_ERROR_UNKNOWN_OBJECT) && !e.is("org.freedesktop.systemd1.NoSuchJob"))
      throw bus_failure("read job " + job_path, e, r);
    drain();  // a JobRemoved sent after Subscribe is already queued ahead of the Get reply
    results_.emplace(job_path, "unknown");
  }

  std::optional<std::string> job_result(const std::string& job_path, int timeout_ms) override
  {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      drain();
      if (auto it = results_.find(job_path); it != results_.end()) return it->second;
      const auto left =
          std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      int r = libsystemd().sd_bus_wait(bus_, static_cast<std::uint64_t>(left.count()));
      if (r < 0 && r != -EINTR) throw lost_bus(r);
    }
  }

  std::vector<std::string> units_matching(const std::string& glob) override
  {
    spdlog::debug("D-Bus: ListUnitsByPatterns {}", glob);
    const LibSystemd& sd = libsystemd();
    BusError e;
    BusMessage reply;
    int r = sd.sd_bus_call_method(bus_, bus_name, manager_path, manager_iface,
                                  "ListUnitsByPatterns", e.get(), &reply.m, "asas", 4, "active",
                                  "activating", "deactivating", "reloading", 1, glob.c_str());
    if (r < 0) throw bus_failure("list the units " + glob, e, r);
    std::vector<std::string> out;
    r = sd.sd_bus_message_enter_container(reply.m, 'a', "(ssssssouso)");
    while (r >= 0 && (r = sd.sd_bus_message_enter_container(reply.m, 'r', "ssssssouso")) > 0) {
      const char* name = nullptr;
      if ((r = sd.sd_bus_message_read(reply.m, "s", &name)) < 0) break;
      out.emplace_back(name);
      if ((r = sd.sd_bus_message_skip(reply.m, "sssssouso")) < 0) break;
      r = sd.sd_bus_message_exit_container(reply.m);
    }
    if (r < 0)
      throw Error(Exit::failure, "cannot list the units " + glob +
                                     ": malformed reply from systemd (" + std::strerror(-r) + ")");
    return out;
  }

 private:
  static int on_job_removed(sd_bus_message* m, void* self, sd_bus_error* /*unused*/)
  {
    std::uint32_t id = 0;
    const char* job = nullptr;
    const char* unit = nullptr;
    const char* result = nullptr;
    if (libsystemd().sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0) return 0;
    spdlog::debug("JobRemoved {} {} {}", job, unit, result);
    static_cast<DbusUnits*>(self)->results_[job] = result;
    return 0;
  }

  std::string unit_path(const std::string& unit)
  {
    char* path = nullptr;
    int r = libsystemd().sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path);
    if (r < 0)
      throw Error(Exit::failure,
                  "cannot encode the D-Bus path of " + unit + ": " + std::strerror(-r));
    std::string out = path;
    std::free(path);
    return out;
  }

  void get_all(const std::string& unit, const std::string& path, const char* interface,
               const std::function<bool(const std::string&, sd_bus_message*)>& on_property)
  {
    spdlog::debug("D-Bus: GetAll {} {}", path, interface);
    BusError e;
    BusMessage reply;
    int r = libsystemd().sd_bus_call_method(bus_, bus_name, path.c_str(), properties_iface,
                                            "GetAll", e.get(), &reply.m, "s", interface);
    if (r < 0) throw bus_failure("read the state of " + unit, e, r);
    if ((r = read_properties(reply.m, on_property)) < 0)
      throw Error(Exit::failure, "cannot read the state of " + unit + ": malformed " + interface +
                                     " properties from systemd (" + std::strerror(-r) + ")");
  }

  std::string queue(const char* method, const char* verb, const std::string& unit)
  {
    install_job_match();  // before the call: a fast job's JobRemoved follows the reply at once
    spdlog::debug("D-Bus: {} {} replace", method, unit);
    BusError e;
    BusMessage reply;
    int r = libsystemd().sd_bus_call_method(bus_, bus_name, manager_path, manager_iface, method,
                                            e.get(), &reply.m, "ss", unit.c_str(), "replace");
    if (r < 0) {
      if (is_access_denied(e)) throw AccessDenied{e.text(r)};
      throw Error(Exit::vm_start, std::string("Failed to ") + verb + " " + unit + ": " + e.text(r));
    }
    const char* job = nullptr;
    if ((r = libsystemd().sd_bus_message_read(reply.m, "o", &job)) < 0)
      throw Error(Exit::vm_start, std::string("Failed to ") + verb + " " + unit +
                                      ": malformed reply from systemd (" + std::strerror(-r) + ")");
    spdlog::debug("D-Bus: job {}", job);
    return job;
  }

  // systemd garbage-collects an inactive unit at once, and with it a skipped start's
  // ConditionResult=no; a reference held by our connection keeps the unit until we disconnect.
  // RefUnit needs the privilege StartUnit needs: a refusal is left for the start to report.
  void hold(const std::string& unit)
  {
    if (held_.count(unit) != 0) return;
    BusError e;
    int r = libsystemd().sd_bus_call_method(bus_, bus_name, manager_path, manager_iface, "RefUnit",
                                            e.get(), nullptr, "s", unit.c_str());
    if (r >= 0)
      held_.insert(unit);
    else
      spdlog::debug("D-Bus: RefUnit {}: {}", unit, e.text(r));
  }

  void install_job_match()
  {
    if (job_removed_ != nullptr) return;
    int r =
        libsystemd().sd_bus_match_signal(bus_, &job_removed_, bus_name, manager_path, manager_iface,
                                         "JobRemoved", &DbusUnits::on_job_removed, this);
    if (r < 0)
      throw Error(Exit::failure, std::string("cannot watch systemd's jobs on the system bus: ") +
                                     std::strerror(-r) + "; check that dbus is running");
  }

  // Dispatches every message already received, without blocking.
  void drain()
  {
    int r = 0;
    while ((r = libsystemd().sd_bus_process(bus_, nullptr)) > 0) {
    }
    if (r < 0) throw lost_bus(r);
  }

  static Error bus_failure(const std::string& what, const BusError& e, int r)
  {
    std::string cause = e.text(r);
    if (!cause.empty() && cause.back() == '.') cause.pop_back();  // a sentence goes on after it
    return Error(Exit::failure, "cannot " + what + " over D-Bus: " + cause +
                                    "; check that systemd and dbus run on this host");
  }

  static Error lost_bus(int r)
  {
    return Error(Exit::failure, "lost the connection to the system bus (" + bus_address() +
                                    "): " + std::strerror(-r) + "; check that dbus is running");
  }

  sd_bus* bus_;
  sd_bus_slot* job_removed_ = nullptr;
  bool subscribed_ = false;
  std::set<std::string> held_;                  // units we hold a reference on (RefUnit)
  std::map<std::string, std::string> results_;  // job path -> JobRemoved result
};

}  // namespace

std::unique_ptr<Units> connect_system_units(SystemBus where)
{
  const LibSystemd& sd = libsystemd();
  sd_bus* bus = nullptr;
  const bool fixed = where == SystemBus::standard_socket;
  int r = fixed ? open_standard_socket(&bus) : sd.sd_bus_open_system(&bus);
  if (r < 0)
    throw Error(Exit::failure, "cannot connect to the system bus at " +
                                   (fixed ? standard_address() : bus_address()) + ": " +
                                   std::strerror(-r) + "; check that dbus runs" +
                                   (fixed ? "" : " (or set DBUS_SYSTEM_BUS_ADDRESS)"));
  return std::make_unique<DbusUnits>(bus);
}

}  // namespace mvh
