// `__hook-start NAME`: the background start of hook = "start", spawned detached by hook-env
// in a trusted repository with a profile. It never registers, rebuilds, asks for a password or
// waits for SSH; anything it cannot do alone is one line on stderr that names the command
// which can (`microvm-here`).
#include <unistd.h>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/profile_store.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/fs.hpp"
#include "sys/private_dir.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

constexpr int k_job_wait_ms = 30000;

std::string first_line(std::string_view s)
{
  return std::string(s.substr(0, s.find('\n')));
}

void start_quietly(Context& ctx, const std::string& name)
{
  Target t = target_for_name(ctx, name);
  const Config& cfg = ctx.config();
  LoadedProfiles p = load_profiles(ctx);
  if (!find_profile(p, name)) throw failure("no profile '" + name + "' in " + p.path);
  const std::string run_once = "; run 'microvm-here' in " + t.repo_root + " once";
  if (!is_executable_file(cfg.state_dir + "/" + name + "/current/bin/microvm-run"))
    throw failure("it is not built yet" + run_once);

  auto units = connect_system_units();
  const std::string unit = cfg.unit_for(name);
  UnitState st = units->state(unit);
  if (st.active_state == "active" || st.active_state == "activating" ||
      st.active_state == "reloading")
    return;

  // The hook never changes a workspace: that is for `microvm-here` (README "VM names").
  LinkInfo link = inspect_link(cfg.workspaces, name);
  if (!(link.kind == LinkKind::symlink && link.target == t.repo_root))
    throw failure("its workspace is not this repository and the hook never changes it" + run_once);
  std::string job;
  try {
    job = units->start(unit);
  } catch (const AccessDenied&) {
    throw failure("starting " + unit + " needs sudo" + run_once);
  }
  auto result = units->job_result(job, k_job_wait_ms);
  if (result && *result != "done")
    throw Error(Exit::vm_start,
                unit + " did not start (job " + *result + "); see: microvm-here logs " + name);
}

// Where the shell's prompt hook looks for a message of its background start (README "Shell
// integration"), or "" when this process was not started by a hook with a runtime directory.
std::string message_path(const Context& ctx)
{
  const std::string dir = ctx.env.get("XDG_RUNTIME_DIR");
  const std::string pid = ctx.env.get("MICROVM_HERE_HOOK_PID");
  if (dir.empty() || dir.front() != '/' || pid.empty() || pid.size() > 10 ||
      pid.find_first_not_of("0123456789") != std::string::npos)
    return {};
  // Only in the user's own 0700 runtime directory: nobody else may plant or redirect it.
  const auto own = private_runtime_dir(dir);
  return own ? *own + "/hook-message." + pid : std::string();
}

}  // namespace

int cmd_hook_start(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  const std::string name = pos.empty() ? "" : pos[0];
  try {
    start_quietly(ctx, name);
    return 0;
  } catch (const Error& e) {
    // The prompt is drawn by now: a line on the terminal would land in the middle of what the
    // user types. The prompt hook shows this file before the next prompt, or nobody does.
    const std::string line = "microvm-here: hook: cannot start the VM '" + name +
                             "': " + printable(first_line(e.what())) + "\n";
    const std::string path = message_path(ctx);
    try {
      if (!path.empty()) {
        write_file_atomic(path, line, 0600);
      }
    } catch (const Error&) {
    }
    return static_cast<int>(e.code());
  }
}

}  // namespace mvh
