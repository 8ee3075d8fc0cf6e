// unregister NAME [--delete-home-file]: stop the VM, remove our workspace link and its profile
// entry (the same crash-safe edit as register), keep its Home Manager file unless asked.
#include <string>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/installed_vms.hpp"
#include "app/profile_store.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/shell_quote.hpp"
#include "sys/fs.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

bool is_up(const UnitState& st)
{
  return st.active_state == "active" || st.active_state == "activating" ||
         st.active_state == "reloading" || st.active_state == "deactivating";
}

std::string unlink_workspace(const Config& cfg, const std::string& name)
{
  const std::string path = cfg.workspaces + "/" + name;
  try {
    switch (remove_own_link(cfg.workspaces, name)) {
      case LinkRemoval::removed:
        return "removed " + path;
      case LinkRemoval::absent:
        return "none";
      case LinkRemoval::not_ours:
        return "kept " + path + " (not a symlink of yours; remove it by hand if unused)";
    }
  } catch (const Error& e) {
    return "kept " + path + " (" + e.what() + ")";
  }
  return "none";
}

}  // namespace

int cmd_unregister(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  if (pos.empty())
    throw usage_error(
        "unregister needs the NAME of the VM to remove; usage: microvm-here unregister NAME");
  Target t = target_for_name(ctx, pos[0]);
  const Config& cfg = ctx.config();
  LoadedProfiles p = load_profiles(ctx);
  const bool has_profile = find_profile(p, t.name) != nullptr;
  const bool installed = is_installed(cfg, t.name);
  const std::string unit = cfg.unit_for(t.name);
  auto units = connect_system_units();
  const UnitState st = units->state(unit);
  if (!has_profile && !installed && !is_up(st))
    throw failure("no VM named '" + t.name + "': no profile in " + p.path +
                  ", nothing installed in " + cfg.state_dir + "/" + t.name + " and " + unit +
                  " is not running; nothing changed");

  if (has_profile) check_unregister(ctx, t.name);  // before anything changes
  std::string out = "unregistered " + t.name + "\n";
  if (is_up(st)) {
    stop_vm_unit(ctx, *units, unit);
    out += "  unit       stopped " + unit + "\n";
  } else {
    out += "  unit       " + unit + " was not running\n";
  }
  out += "  workspace  " + unlink_workspace(cfg, t.name) + "\n";
  Unregistration u = unregister_profile(ctx, t.name);
  out += "  profile    " +
         (u.had_profile ? "removed from " + u.profiles_path : "none in " + u.profiles_path) + "\n";
  if (ctx.args.has("delete-home-file"))
    out += "  home file  " +
           std::string(remove_regular_file(u.home_file) ? "deleted " : "none at ") + u.home_file +
           "\n";
  else if (path_exists(u.home_file))
    out += "  home file  kept " + u.home_file + " (--delete-home-file removes it)\n";
  if (installed)
    out += "  next       rebuild the host to uninstall it: " + shell_join(cfg.rebuild) + " (in " +
           cfg.nixfiles + ")\n";
  ctx.print(out);
  return 0;
}

}  // namespace mvh
