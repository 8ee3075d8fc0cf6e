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

  LinkInfo link = inspect_link(cfg.workspaces, name);
  if (!(link.kind == LinkKind::symlink && link.target == t.repo_root)) {
    if (needs_root_to_link(cfg.workspaces, name, link))
      throw failure("pointing " + cfg.workspaces + "/" + name + " at this repository needs sudo" +
                    run_once);
    point_link(cfg.workspaces, name, t.repo_root);
  }
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

}  // namespace

int cmd_hook_start(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  const std::string name = pos.empty() ? "" : pos[0];
  try {
    start_quietly(ctx, name);
    return 0;
  } catch (const Error& e) {
    std::fprintf(ctx.err, "microvm-here: hook: cannot start the VM '%s': %s\n", name.c_str(),
                 printable(first_line(e.what())).c_str());
    return static_cast<int>(e.code());
  }
}

}  // namespace mvh
