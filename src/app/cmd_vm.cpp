// status [NAME] [--json], stop [NAME], logs [NAME] [-f] [-n N].
#include <nlohmann/json.hpp>

#include "app/boot_wait.hpp"
#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/installed_vms.hpp"
#include "app/profile_store.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/fs.hpp"
#include "sys/interrupt.hpp"
#include "sys/journal.hpp"
#include "sys/ssh_probe.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

Target positional_target(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  return target_for_name(ctx, pos.empty() ? std::nullopt : std::optional(pos[0]));
}

const ProfileEntry& require_profile(const LoadedProfiles& p, const std::string& name)
{
  const ProfileEntry* e = find_profile(p, name);
  if (!e)
    throw failure("no profile '" + printable(name) + "' in " + printable(p.path) +
                  "; create it with: microvm-here register " + name);
  return *e;
}

}  // namespace

int cmd_status(Context& ctx)
{
  Target t = positional_target(ctx);
  const Config& cfg = ctx.config();
  LoadedProfiles p = load_profiles(ctx);
  const ProfileEntry* e = find_profile(p, t.name);
  const std::string unit = cfg.unit_for(t.name);
  const bool installed = is_installed(cfg, t.name);
  UnitState st = connect_system_units()->state(unit);
  const bool running = st.active_state != "inactive" && st.active_state != "failed";
  if (!e && !installed && !running)
    throw usage_error("no VM named '" + t.name + "': no profile in " + printable(p.path) +
                      ", not installed, not running; `microvm-here register " + t.name +
                      "` creates one (`microvm-here list` shows the VMs)");
  const bool stale = runs_old_generation(cfg, t.name, st);
  LinkInfo link{};
  try {
    link = inspect_link(cfg.workspaces, t.name);
  } catch (const Error&) {
  }
  bool reachable = false;
  if (e && e->ip_address && st.active_state == "active") {
    BannerProber prober(*e->ip_address, static_cast<std::uint16_t>(cfg.ssh_port));
    for (int i = 0; i < 25 && !reachable; ++i)
      reachable = prober.step(std::chrono::milliseconds(20)) == ProbeOutcome::ready;
  }
  // The link may be another user's: its target is shown escaped (printable), like every path.
  const std::string link_text = link.kind == LinkKind::symlink  ? printable(link.target)
                                : link.kind == LinkKind::absent ? std::string()
                                                                : std::string("(not a link)");
  if (ctx.args.has("json")) {
    nlohmann::ordered_json j;
    j["name"] = t.name;
    j["profile"] = e != nullptr;
    j["installed"] = installed;
    j["restartToApply"] = stale;
    j["unit"] = unit;
    j["activeState"] = st.active_state;
    j["subState"] = st.sub_state;
    j["ipAddress"] = e && e->ip_address ? nlohmann::ordered_json(*e->ip_address) : nullptr;
    j["workspace"] =
        link_text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(link_text);
    j["reachable"] = reachable;
    // ASCII only (\uXXXX): no C1 or bidi control reaches a terminal; invalid UTF-8 replaced.
    ctx.print(j.dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    return 0;
  }
  std::string out;
  out += "name       " + t.name + "\n";
  out += "profile    " +
         std::string(e ? "registered in " + printable(p.path) : "none (microvm-here register)") +
         "\n";
  out += "installed  " +
         std::string(!installed ? "no (rebuild needed)"
                     : stale    ? "yes; running an older generation: restart to apply the "
                                  "rebuild (microvm-here --restart)"
                                : "yes") +
         "\n";
  out += "unit       " + unit + ": " + st.active_state + "/" + st.sub_state +
         (st.n_restarts ? " (" + std::to_string(st.n_restarts) + " restarts)" : "") + "\n";
  out += "ip         " + (e && e->ip_address ? *e->ip_address : std::string("-")) + "\n";
  out += "workspace  " + (link_text.empty() ? std::string("-") : link_text) + "\n";
  out += "reachable  " + std::string(reachable ? "yes (SSH banner)" : "no") + "\n";
  ctx.print(out);
  return 0;
}

void stop_vm_unit(Context& ctx, Units& units, const std::string& unit)
{
  std::string job;
  try {
    job = units.stop(unit);
  } catch (const AccessDenied& d) {
    throw failure("Failed to stop " + unit + ": " + d.message + "; run: sudo systemctl stop " +
                  unit);
  }
  auto result = units.job_result(job, 150000);
  if (result && *result != "done")
    throw failure("Failed to stop " + unit + ": job result '" + *result + "'");
  ctx.say("stopped " + unit);
}

int cmd_stop(Context& ctx)
{
  Target t = positional_target(ctx);
  LoadedProfiles p = load_profiles(ctx);
  const std::string unit = ctx.config().unit_for(t.name);
  auto units = connect_system_units();
  // A VM removed from profiles.nix may still be installed or running: it is still ours to stop.
  if (!find_profile(p, t.name) && !is_installed(ctx.config(), t.name) &&
      units->state(unit).active_state == "inactive")
    require_profile(p, t.name);
  const UnitState before = units->state(unit);
  if (before.active_state == "inactive" || before.active_state == "failed") {
    ctx.say(t.name + " was not running (" + unit + " is " + before.active_state + "/" +
            before.sub_state + "); nothing to stop");
    return 0;
  }
  stop_vm_unit(ctx, *units, unit);
  return 0;
}

int cmd_logs(Context& ctx)
{
  Target t = positional_target(ctx);
  // Without a profile the journal has nothing to show, and a typo would look like a silent VM.
  require_profile(load_profiles(ctx), t.name);
  const std::string unit = ctx.config().unit_for(t.name);
  int n = 50;
  if (ctx.args.has("lines")) {
    const std::string v = ctx.args.value("lines");
    char* end = nullptr;
    long parsed = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || parsed < 0 || parsed > 100000)
      throw usage_error("--lines must be a number from 0 to 100000, got '" + v + "'");
    n = static_cast<int>(parsed);
  }
  if (ctx.args.has("follow")) {
    catch_interrupts();
    journal_follow(
        unit, n,
        [&](const std::string& l) {
          ctx.print(l + "\n");
          std::fflush(ctx.out);
        },
        [] { return interrupted(); });
    return 0;
  }
  JournalTail j = journal_tail(unit, n);
  if (!j.readable) throw failure("cannot show the log of " + unit + ": " + j.why);
  std::string out;
  for (const auto& l : j.lines) out += l + "\n";
  ctx.print(out);
  return 0;
}

}  // namespace mvh
