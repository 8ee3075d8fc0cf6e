// The default command: from a repository to a shell in its VM (README "What it does").
#include <unistd.h>

#include <chrono>

#include "app/boot_wait.hpp"
#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/elevate.hpp"
#include "app/installed_vms.hpp"
#include "app/name_store.hpp"
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

// -t / -T: the user's word on a terminal in the VM; without one, ssh_argv decides.
RemoteTty remote_tty(const ParsedArgs& args)
{
  if (args.has("tty") && args.has("no-tty"))
    throw Error(Exit::usage,
                "options '--tty' (-t) and '--no-tty' (-T) contradict each other; give one of them");
  if (args.has("tty")) return RemoteTty::force;
  return args.has("no-tty") ? RemoteTty::never : RemoteTty::automatic;
}

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
  p.argv = ssh_argv(SshCommand{cfg.ssh, p.alias, ctx.args.remote_command, remote_tty(ctx.args),
                               ctx.env.stdin_tty, ctx.env.stdout_tty});
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

// Why the link needs sudo, or nullopt when we can make it ourselves.
std::optional<std::string> link_sudo_reason(Context& ctx, const std::string& name,
                                            const LinkInfo& before)
{
  const std::string& dir = ctx.config().workspaces;
  if (!is_directory(dir))
    throw failure("the workspaces directory " + dir +
                  " does not exist; create it (NixOS: "
                  "the microvm-here module does) or set 'workspaces' in your config");
  return needs_root_to_link(dir, name, before);
}

// Links before the rebuild when we may: the rebuild's tmpfiles rule for the share (microvm.nix:
// `d <source> :0775 :microvm :kvm -`) then leaves our link alone instead of making a directory
// that only root may replace (README "Install on NixOS").
void link_before_rebuild(Context& ctx, const Target& t)
{
  const std::string& dir = ctx.config().workspaces;
  if (is_directory(dir) && inspect_link(dir, t.name).kind == LinkKind::absent &&
      !link_sudo_reason(ctx, t.name, LinkInfo{}))
    point_link(dir, t.name, t.repo_root);
}

// -n: what this run would really do, from the unit's real state and the real link (read-only).
void print_dry_run(Context& ctx, const Plan& plan, const std::string& repo, int timeout,
                   const std::optional<UnitState>& state)
{
  const Config& cfg = ctx.config();
  const std::string link_path = cfg.workspaces + "/" + plan.target.name;
  LinkInfo link{};
  try {
    link = inspect_link(cfg.workspaces, plan.target.name);
  } catch (const Error&) {
  }
  if (link.kind == LinkKind::symlink && link.target == repo)
    ctx.print("link " + printable(link_path) + " -> " + printable(repo) + " is already in place\n");
  else
    ctx.print("would link " + printable(link_path) + " -> " + printable(repo) + "\n");
  const bool running =
      state && (state->active_state == "active" || state->active_state == "activating");
  const std::string wait = " and wait up to " + std::to_string(timeout) + "s for SSH on " +
                           plan.host + ":" + std::to_string(plan.port) + "\n";
  if (!running)
    ctx.print("would start " + plan.unit + wait);
  else if (ctx.args.has("restart"))
    ctx.print("would restart " + plan.unit + " (now " + state->active_state + "/" +
              state->sub_state + ")" + wait);
  else
    ctx.print(plan.unit + " is already " + state->active_state + "/" + state->sub_state +
              ": would not start it" + wait);
  if (running && !ctx.args.has("restart") && runs_old_generation(cfg, plan.target.name, *state))
    ctx.print(
        "note: it runs an older generation than the installed one: restart to apply the "
        "rebuild (--restart)\n");
  ctx.print("would run: " + shell_join(plan.argv) + "\n");
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
  if (ctx.args.has("rebuild") && ctx.args.has("no-rebuild"))
    throw usage_error("--rebuild and --no-rebuild contradict each other; give one of them");
  const bool forced_rebuild = ctx.args.has("rebuild");
  if (entry && !dry && !ctx.args.has("restart") && !forced_rebuild) {
    Plan quick = make_plan(ctx, t, entry, /*resolve_alias=*/false);
    if (instant_path(ctx, quick)) enter(ctx, quick);
  }
  Plan plan = make_plan(ctx, t, entry);
  std::unique_ptr<Units> units;
  UnitState state;
  if (entry && !dry) {
    units = connect_system_units();
    state = units->state(plan.unit);
    if (!ctx.args.has("restart") && !forced_rebuild && fast_path(ctx, *units, plan, state))
      enter(ctx, plan);
    if (ctx.args.has("restart") &&
        (state.active_state == "active" || state.active_state == "activating"))
      check_restart_sessions(ctx, t.name, plan.host, plan.port);
  }
  std::optional<UnitState> dry_state;
  if (entry && dry) {
    try {
      dry_state = connect_system_units()->state(plan.unit);
    } catch (const Error& e) {
      ctx.warn(std::string("cannot read the state of ") + plan.unit + " (" + e.what() +
               "); assuming it is stopped");
    }
  }

  // Check the rebuild can run before registering anything: a missing program must leave
  // profiles.nix as it was (exit 4), not fail after the edit.
  if (!dry && !ctx.args.has("no-rebuild") &&
      (!entry || forced_rebuild || !is_executable_file(plan.installed_marker)))
    if (auto problem = rebuild_program_problem(ctx))
      throw Error(Exit::rebuild, *problem + "; install it or set 'rebuild' in " +
                                     (cfg.source.empty() ? "your config" : cfg.source) +
                                     " (nothing was changed)");
  // Only now: a run refused above (live sessions, no rebuild program) changed nothing.
  if (t.to_remember) remember_name(ctx.env, t.repo_root, t.name);
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
  if ((is_new || forced_rebuild || !installed()) && !ctx.args.has("no-rebuild")) {
    if (dry) {
      ctx.print("would run: " + shell_join(cfg.rebuild) + " (in " + cfg.nixfiles + ")\n");
    } else {
      link_before_rebuild(ctx, t);
      if (forced_rebuild)
        run_rebuild(ctx, t.name, [] { return false; });  // asked for: never skipped
      else
        run_rebuild(ctx, t.name, installed);
    }
  }

  if (dry) {
    print_dry_run(ctx, plan, t.repo_root, timeout, dry_state);
    return 0;
  }
  if (!units) units = connect_system_units();
  // Read again even when read above: the rebuild may have started or restarted the VM.
  state = units->state(plan.unit);
  const bool running = state.active_state == "active" || state.active_state == "activating";
  if (running && !ctx.args.has("restart") && runs_old_generation(cfg, t.name, state))
    ctx.warn(plan.unit + " runs an older generation than the installed one; " +
             "'microvm-here --restart' applies the rebuild");
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
  const auto sudo_reason = link_changes ? link_sudo_reason(ctx, t.name, before) : std::nullopt;
  const bool sudo_link = sudo_reason.has_value();
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
    run_privileged(ctx, action, t.name, t.repo_root, *sudo_reason);
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
  req.started = want_start;
  BootResult booted = wait_for_ssh(ctx, *units, req);
  ctx.debug(1, "SSH answered after " + std::to_string(booted.seconds) + "s: " + booted.banner);
  write_ready_stamp(ctx, t.name,
                    ReadyStamp{booted.invocation_id, plan.host, plan.port, plan.profile_host,
                               plan.profile_port, plan.alias});
  enter(ctx, plan);
}

}  // namespace mvh
