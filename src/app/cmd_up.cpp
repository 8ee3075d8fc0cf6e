// The default command: from a repository to a shell in its VM (README "What it does").
#include <unistd.h>

#include <chrono>

#include "app/boot_wait.hpp"
#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/elevate.hpp"
#include "app/profile_store.hpp"
#include "app/ready_stamp.hpp"
#include "app/rebuild.hpp"
#include "app/target.hpp"
#include "app/up_target.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/shell_quote.hpp"
#include "sys/exec.hpp"
#include "sys/fs.hpp"
#include "sys/ssh_config.hpp"
#include "sys/ssh_probe.hpp"
#include "sys/unit_invocation.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

struct Plan {
  Target target;
  std::string unit;
  std::string alias;
  std::string installed_marker;  // <state_dir>/<name>/current/bin/microvm-run
  std::string host;
  std::uint16_t port = 22;
  std::string profile_host;  // host and port before the ssh config had its say
  std::uint16_t profile_port = 22;
  std::vector<std::string> argv;  // the final ssh argv
};

// resolve_alias=false skips the ssh config (libssh): the instant path takes host and port from
// the ready stamp instead.
Plan make_plan(Context& ctx, const Target& t, const ProfileEntry* entry, bool resolve_alias = true)
{
  const Config& cfg = ctx.config();
  Plan p;
  p.target = t;
  p.unit = cfg.unit_for(t.name);
  p.alias = cfg.alias_for(t.name);
  p.installed_marker = cfg.state_dir + "/" + t.name + "/current/bin/microvm-run";
  p.port = static_cast<std::uint16_t>(cfg.ssh_port);
  if (entry && entry->ip_address) p.host = *entry->ip_address;
  p.profile_host = p.host;
  p.profile_port = p.port;
  // The user's ssh config decides where `ssh <alias>` really goes; probe that place.
  if (auto via =
          resolve_alias ? resolve_ssh_alias(p.alias, ctx.env.home() + "/.ssh") : std::nullopt) {
    if (via->host != p.host || via->port != p.port)
      ctx.debug(1, "ssh config sends " + p.alias + " to " + via->host + ":" +
                       std::to_string(via->port) + "; probing there");
    p.host = via->host;
    p.port = via->port;
  }
  p.argv = ssh_argv(SshCommand{cfg.ssh, p.alias, ctx.env.stdin_tty, ctx.args.remote_command});
  return p;
}

[[noreturn]] void enter(Context& ctx, const Plan& p)
{
  ctx.debug(1, "exec: " + shell_join(p.argv));
  exec_argv(p.argv);
}

// The instant path: the run of the unit that systemd's runtime link names is the one we saw
// serve a banner, the workspace already points here and the port accepts: exec ssh without
// loading libsystemd or libssh (~6 ms of a ~8 ms run). Anything unexpected: the normal path.
bool instant_path(Context& ctx, Plan& p)
{
  auto stamp = read_ready_stamp(ctx, p.target.name);
  if (!stamp) return false;
  if (stamp->profile_host != p.profile_host || stamp->profile_port != p.profile_port ||
      stamp->alias != p.alias)
    return false;  // the profile, ssh_port or alias changed since the banner
  auto id = runtime_invocation_id(p.unit);
  if (!id || *id != stamp->invocation_id) return false;
  LinkInfo link = inspect_link(ctx.config().workspaces, p.target.name);
  if (link.kind != LinkKind::symlink || link.target != p.target.repo_root) return false;
  if (!tcp_connect_ok(stamp->host, stamp->port, std::chrono::milliseconds(300))) return false;
  ctx.debug(1, "instant path: " + p.unit + " run " + *id + " answered on " + stamp->host + ":" +
                   std::to_string(stamp->port) + " before");
  return true;
}

// Already running, known ready for this invocation, pointing at this repo: straight to ssh.
bool fast_path(Context& ctx, Units& units, const Plan& p, const UnitState& st)
{
  if (st.active_state != "active" || st.invocation_id.empty()) return false;
  auto stamp = read_ready_stamp(ctx, p.target.name);
  if (!stamp || stamp->invocation_id != st.invocation_id || stamp->host != p.host ||
      stamp->port != p.port)
    return false;
  LinkInfo link = inspect_link(ctx.config().workspaces, p.target.name);
  if (link.kind != LinkKind::symlink || link.target != p.target.repo_root) return false;
  (void)units;
  return tcp_connect_ok(p.host, p.port, std::chrono::milliseconds(300));
}

// Points the workspace link at the repository; returns true when sudo is needed for it.
bool link_needs_sudo(Context& ctx)
{
  const std::string& dir = ctx.config().workspaces;
  if (!is_directory(dir))
    throw failure("the workspaces directory " + dir +
                  " does not exist; create it (NixOS: "
                  "the microvm-here module does) or set 'workspaces' in your config");
  return ::geteuid() != 0 && ::access(dir.c_str(), W_OK) != 0;
}

}  // namespace

int cmd_up(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  const bool dry = ctx.args.has("dry-run");
  std::optional<std::string> name_arg = pos.empty() ? std::nullopt : std::optional(pos[0]);
  Target t = target_for_name(ctx, name_arg, ctx.args.has("share-any-dir"));
  if (t.repo_root.empty()) throw usage_error("the current directory no longer exists");
  const Config& cfg = ctx.config();
  int timeout = cfg.boot_timeout;
  if (ctx.args.has("timeout")) {
    const std::string v = ctx.args.value("timeout");
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n <= 0 || n > 86400)
      throw usage_error("--timeout must be a number of seconds from 1 to 86400, got '" + v + "'");
    timeout = static_cast<int>(n);
  }

  if (ctx.args.command_suggestion && t.explicit_name) {
    // A word close to a command is a typo unless a VM by that name exists.
    bool registered = false;
    try {
      LoadedProfiles p = load_profiles(ctx);
      registered = find_profile(p, t.name) != nullptr;
    } catch (const Error&) {
    }
    if (!registered)
      throw usage_error("unknown command '" + t.name + "' (did you mean '" +
                        *ctx.args.command_suggestion + "'?); to create a VM called '" + t.name +
                        "', run: microvm-here register " + t.name);
  }
  LoadedProfiles profiles = load_profiles(ctx);
  settle_up_target(ctx, t, profiles, dry);  // which VM, which workspace: before any change
  const ProfileEntry* entry = find_profile(profiles, t.name);
  if (entry && !dry && !ctx.args.has("restart")) {
    Plan quick = make_plan(ctx, t, entry, /*resolve_alias=*/false);
    if (instant_path(ctx, quick)) enter(ctx, quick);
  }
  Plan plan = make_plan(ctx, t, entry);
  std::unique_ptr<Units> units;
  UnitState state;
  if (entry && !dry) {
    units = connect_system_units();
    state = units->state(plan.unit);
    if (!ctx.args.has("restart") && fast_path(ctx, *units, plan, state)) enter(ctx, plan);
    if (ctx.args.has("restart") && state.active_state == "active")
      check_restart_sessions(ctx, t.name, plan.host, plan.port);
  }

  bool is_new = false;
  if (!entry) {
    ctx.say("no profile for '" + t.name + "' yet: registering it");
    // exists_ok: a concurrent run from the same repository may have registered it meanwhile.
    Registration reg = register_profile(ctx, t.name, dry, /*exists_ok=*/true);
    // Progress of this run, not its data: stderr (stdout carries the remote command's output).
    if (reg.existed)
      ctx.say("another microvm-here registered '" + t.name + "' meanwhile");
    else if (dry)
      ctx.print(describe_registration(reg, dry));
    else if (!ctx.args.quiet)
      std::fputs(describe_registration(reg, dry).c_str(), ctx.err);
    is_new = !reg.existed;
    profiles = load_profiles(ctx);
    entry = dry ? nullptr : find_profile(profiles, t.name);
    if (dry)
      plan.host = reg.profile.ip_address;
    else
      plan = make_plan(ctx, t, entry);
  }

  auto installed = [&] { return is_executable_file(plan.installed_marker); };
  if ((is_new || !installed()) && !ctx.args.has("no-rebuild")) {
    if (dry)
      ctx.print("would run: " + shell_join(cfg.rebuild) + " (in " + cfg.nixfiles + ")\n");
    else
      run_rebuild(ctx, t.name, installed);
  }

  const std::string link_path = cfg.workspaces + "/" + t.name;
  if (dry) {
    ctx.print("would link " + link_path + " -> " + t.repo_root + "\n");
    ctx.print("would start " + plan.unit + " and wait up to " + std::to_string(timeout) +
              "s for SSH on " + plan.host + ":" + std::to_string(plan.port) + "\n");
    ctx.print("would run: " + shell_join(plan.argv) + "\n");
    return 0;
  }
  if (!units) {
    units = connect_system_units();
    state = units->state(plan.unit);
  }
  const bool running = state.active_state == "active" || state.active_state == "activating";
  LinkInfo before = inspect_link(cfg.workspaces, t.name);
  bool link_changes = !(before.kind == LinkKind::symlink && before.target == t.repo_root);
  const bool other_repo =
      link_changes && before.kind == LinkKind::symlink && is_directory(before.target);
  if (other_repo && running && !ctx.args.has("restart")) {
    // A VM reads its workspace when it starts: the link keeps saying what the running VM sees.
    ctx.warn("VM '" + t.name + "' is running with the workspace " + printable(before.target) +
             "; 'microvm-here --here --restart " + t.name + "' switches it to " +
             printable(t.repo_root));
    link_changes = false;
  } else if (other_repo) {
    ctx.say("VM '" + t.name + "' now sees " + printable(t.repo_root) + " instead of " +
            printable(before.target));
  }
  const bool sudo_link = link_changes && link_needs_sudo(ctx);
  const bool want_restart = running && ctx.args.has("restart");
  const bool want_start = !running || want_restart;
  bool started_by_sudo = false;
  std::optional<std::string> job;
  if (link_changes && !sudo_link) point_link(cfg.workspaces, t.name, t.repo_root);
  if (sudo_link && ::geteuid() != 0) {
    // One sudo for everything privileged in this run (HOST.md pitfall 5).
    const PrivilegedAction action = !want_start    ? PrivilegedAction::link
                                    : want_restart ? PrivilegedAction::link_and_restart
                                                   : PrivilegedAction::link_and_start;
    run_privileged(ctx, action, t.name, t.repo_root, cfg.workspaces + " is not writable by you");
    started_by_sudo = want_start;
  }
  if (!started_by_sudo && want_start) {
    try {
      ctx.debug(1, std::string(want_restart ? "RestartUnit " : "StartUnit ") + plan.unit);
      job = want_restart ? units->restart(plan.unit) : units->start(plan.unit);
    } catch (const AccessDenied& denied) {
      // No polkit: AccessDenied; polkit without an agent: InteractiveAuthorizationRequired.
      ctx.debug(1, "start refused by the bus: " + denied.message);
      run_privileged(ctx, want_restart ? PrivilegedAction::restart : PrivilegedAction::start,
                     t.name, "", "systemd refused it (" + denied.message + ")");
    }
  }
  if (want_start) ctx.say((want_restart ? "restarting " : "starting ") + plan.unit);

  if (plan.host.empty())
    throw config_error("profile '" + t.name + "' in " + profiles.path +
                       " has no ipAddress to reach it; add one");
  BootRequest req{t.name, plan.unit, plan.host, plan.port, timeout, job, state, want_restart};
  BootResult booted = wait_for_ssh(ctx, *units, req);
  ctx.debug(1, "SSH answered after " + std::to_string(booted.seconds) + "s: " + booted.banner);
  write_ready_stamp(ctx, t.name,
                    ReadyStamp{booted.invocation_id, plan.host, plan.port, plan.profile_host,
                               plan.profile_port, plan.alias});
  enter(ctx, plan);
}

}  // namespace mvh
