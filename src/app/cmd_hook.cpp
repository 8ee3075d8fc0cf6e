// Shell integration verbs: hook, hook-env, trust, untrust (README "Shell integration").
#include <string>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/name_store.hpp"
#include "app/trust_store.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/hook_env.hpp"
#include "core/printable.hpp"
#include "core/vm_name.hpp"
#include "sys/detached.hpp"
#include "sys/fs.hpp"
#include "sys/private_dir.hpp"
#include "sys/process_env.hpp"
#include "sys/profile_names.hpp"
#include "sys/repo_root.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

std::string first_line(std::string_view s)
{
  return std::string(s.substr(0, s.find('\n')));
}

std::optional<std::string> env_var(const Context& ctx, std::string_view key)
{
  if (!ctx.env.has(key)) return std::nullopt;
  return ctx.env.get(key);
}

// What hook-env decided beyond the variables.
struct HookAction {
  HookEnv env;
  std::optional<std::string> start;  // hook = "start": the VM to start in the background
};

// hook = "start": what can be checked before the prompt is checked here, so a failure is shown
// before the prompt is drawn; the background start only does what needs the bus.
std::string start_problem(const Config& cfg, const std::string& name, const std::string& root)
{
  const std::string head = "cannot start the VM '" + name + "': ";
  const std::string run_once = "; run 'microvm-here' in " + printable(root) + " once";
  if (!is_executable_file(cfg.state_dir + "/" + name + "/current/bin/microvm-run"))
    return head + "it is not built yet" + run_once;
  LinkInfo link{};
  try {
    link = inspect_link(cfg.workspaces, name);
  } catch (const Error& e) {
    return head + first_line(e.what());
  }
  if (link.kind == LinkKind::symlink && link.target == root) return {};
  return head + "its workspace is not this repository and the hook never changes it" + run_once;
}

// The hot path of every `cd`: config, repository root, the name book, a native parse of
// profiles.nix; no process, no libssh/libsystemd, no logger. A profiles.nix that only
// nix-instantiate could read counts as "no profile" here: evaluating it would cost a second per
// `cd`. A repository at $HOME does not count (README "VM names").
HookAction decide(Context& ctx, const HookVars& now, std::string& problem)
{
  HookAction a;
  if (ctx.env.cwd.empty()) return a;
  RepoRoot root = find_repo_root(ctx.env.cwd, true, ctx.env.home());  // getcwd's result
  if (!root.in_repo) return a;
  const NameBook book = read_name_book(ctx.env);
  std::optional<std::string> name = book.name_of(root.path);
  const Config& cfg = ctx.config();
  if (!name) {
    name = derive_vm_name(base_name(root.path));
    // A derived name that serves another repository is not this one's (README "VM names").
    if (!name || repo_served_by(cfg.workspaces, book, *name, root.path)) return a;
  }
  a.env.name = *name;
  a.env.manage_enter = cfg.hook == HookMode::enter;
  const std::string path = cfg.profiles_path();
  // Only $XDG_RUNTIME_DIR: the names cache is rebuilt cheaply and must not outlive a reboot.
  // And only a private one: in a shared or foreign directory anyone could forge the cache.
  auto names =
      profile_names(path, private_runtime_dir(ctx.env.get("XDG_RUNTIME_DIR")).value_or(""));
  if (!names) return a;
  for (const auto& n : *names) a.env.has_profile = a.env.has_profile || n == *name;
  if (!a.env.has_profile || cfg.hook == HookMode::status) return a;
  if (!is_trusted(ctx.env, root.path)) return a;
  if (cfg.hook == HookMode::enter) a.env.enter = *name;
  // Only on the way in: a `cd` inside the same repository must not start it again.
  if (cfg.hook == HookMode::start && now.name != *name) {
    problem = start_problem(cfg, *name, root.path);
    if (problem.empty()) a.start = *name;
  }
  return a;
}

// PATH argument of trust/untrust as an absolute path (default: the current directory).
std::string path_argument(const Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  if (ctx.env.cwd.empty() && (pos.empty() || pos[0].empty() || pos[0][0] != '/'))
    throw usage_error("the current directory no longer exists; pass an absolute PATH");
  std::string p = join_path(ctx.env.cwd, pos.empty() ? "." : pos[0]);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

}  // namespace

int cmd_hook(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  if (pos.empty())
    throw usage_error(
        "'microvm-here hook' needs a shell: zsh, bash or fish, e.g. "
        "eval \"$(microvm-here hook zsh)\"");
  auto shell = parse_shell(pos[0]);
  if (!shell)
    throw usage_error("no hook for the shell '" + pos[0] +
                      "'; microvm-here has hooks for "
                      "zsh, bash and fish");
  const std::string file = "microvm-here." + std::string(shell_name(*shell));
  for (const auto& f : embedded_files()) {
    if (f.name != file) continue;
    ctx.print(render_hook_script(*shell, f.contents, ctx.self_exe));
    return 0;
  }
  throw failure("the " + file + " hook is missing from this build (please report this)");
}

int cmd_hook_env(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  auto shell = parse_shell(pos.empty() ? "" : pos[0]);
  if (!shell) {
    std::fprintf(ctx.err, "microvm-here: hook-env needs a shell: zsh, bash or fish\n");
    return static_cast<int>(Exit::usage);
  }
  const HookVars now{env_var(ctx, "MICROVM_HERE_NAME"), env_var(ctx, "MICROVM_HERE_PROFILE")};
  HookAction a;
  std::string problem;
  try {
    a = decide(ctx, now, problem);
  } catch (const Error& e) {
    // Runs on every `cd`: one line, and the variables cleared rather than left stale.
    problem = first_line(e.what());
    a = HookAction{};
  }
  ctx.print(render_hook_env(*shell, a.env, now));
  std::fflush(ctx.out);
  if (a.start) {
    if (ctx.self_exe.empty()) ctx.self_exe = self_executable();
    std::string why = spawn_detached({ctx.self_exe, "__hook-start", *a.start});
    if (!why.empty()) problem = "cannot start " + ctx.self_exe + " in the background: " + why;
  }
  if (problem.empty()) return 0;
  std::fprintf(ctx.err, "microvm-here: hook: %s\n", printable(problem).c_str());
  return static_cast<int>(Exit::failure);
}

int cmd_trust(Context& ctx)
{
  const std::string start = path_argument(ctx);
  RepoRoot root = find_repo_root(start);
  if (!root.in_repo)
    throw usage_error("'" + printable(root.path) +
                      "' is not inside a git repository; 'trust' takes a " +
                      "repository (cd into one or pass its path)");
  if (root.path.find('\n') != std::string::npos)
    throw usage_error("cannot trust '" + printable(root.path) + "': its path contains a newline");
  if (!trust_repo(ctx.env, root.path)) {
    ctx.say(printable(root.path) + " is already trusted; nothing changed");
    return 0;
  }
  ctx.say("trusted " + printable(root.path) +
          ": the shell hook may now start or enter its VM (config " +
          "'hook' = \"start\" or \"enter\"); undo with: microvm-here untrust");
  return 0;
}

int cmd_untrust(Context& ctx)
{
  std::string path = path_argument(ctx);
  // A repository that was moved or deleted can still be taken off the list by its old path.
  if (path_exists(path)) path = find_repo_root(path).path;
  if (!untrust_repo(ctx.env, path)) {
    ctx.say(printable(path) + " was not trusted; nothing changed");
    return 0;
  }
  ctx.say("untrusted " + printable(path) + ": the shell hook will no longer start or enter its VM");
  return 0;
}

}  // namespace mvh
