// register [NAME] [--dry-run], and list [--json|--names].
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/installed_vms.hpp"
#include "app/profile_store.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/text_diff.hpp"
#include "core/vm_list.hpp"
#include "core/vm_name.hpp"
#include "sys/fs.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

WorkspaceView workspace_view(const std::string& dir, const std::string& name)
{
  try {
    LinkInfo l = inspect_link(dir, name);
    if (l.kind == LinkKind::absent) return {};
    if (l.kind == LinkKind::symlink) return {WorkspaceView::Kind::link, l.target};
    return {WorkspaceView::Kind::not_link, {}};
  } catch (const Error&) {
    return {WorkspaceView::Kind::unknown, {}};
  }
}

}  // namespace

std::string describe_registration(const Registration& r, bool dry_run)
{
  const NewProfile& p = r.profile;
  std::string out =
      (dry_run ? "would register " : "registered ") + p.name + " in " + r.profiles_path + "\n";
  out += "  ipAddress  " + p.ip_address + "\n";
  out += "  tapId      " + p.tap_id + "\n";
  out += "  mac        " + p.mac + "\n";
  if (p.vsock_cid) out += "  vsockCid   " + std::to_string(*p.vsock_cid) + "\n";
  out += std::string("  ") +
         (r.home_created ? (dry_run ? "would create " : "created    ") : "kept       ") +
         r.home_file + "\n";
  if (r.git_added) out += "  git        both files added with --intent-to-add\n";
  return out;
}

int cmd_register(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  Target t = target_for_name(ctx, pos.empty() ? std::nullopt : std::optional(pos[0]));
  const bool dry_run = ctx.args.has("dry-run");
  Registration r = register_profile(ctx, t.name, dry_run);
  if (dry_run) {
    ctx.print(unified_diff(r.old_text, r.new_text, r.profiles_path));
    ctx.print(describe_registration(r, true));
    return 0;
  }
  ctx.print(describe_registration(r, false));
  return 0;
}

int cmd_list(Context& ctx)
{
  LoadedProfiles p = load_profiles(ctx);
  if (ctx.args.has("names")) {
    // The completions call this on every TAB: no bus, no libsystemd.
    // The completions offer these words to the shell: only valid VM names are printed, so a
    // hostile profiles.nix cannot hand a TAB press `$(...)` or an escape sequence.
    std::vector<ProfileEntry> valid;
    for (const auto& e : p.entries) {
      if (is_valid_vm_name(e.name)) {
        valid.push_back(e);
        continue;
      }
      const std::string where =
          printable(p.path) + (e.loc.line > 0 ? ":" + std::to_string(e.loc.line) : "");
      ctx.warn(where + ": skipping the profile " + quoted(e.name) +
               ": it is not a valid VM name (1 to 63 letters, digits, '-' or '_', starting and "
               "ending with a letter or digit); rename it in that file");
    }
    if (ctx.args.has("json")) {
      ctx.print(format_names_json(valid));
      return 0;
    }
    std::string out;
    for (const auto& e : valid) out += e.name + "\n";
    ctx.print(out);
    return 0;
  }
  const Config& cfg = ctx.config();
  std::unique_ptr<Units> units;
  std::optional<std::string> bus_problem;
  try {
    units = connect_system_units();
  } catch (const Error& e) {
    bus_problem = e.what();
  }
  std::vector<VmListRow> rows;
  std::vector<ProfileEntry> entries = p.entries;
  // Installed or running VMs that profiles.nix no longer names: still on the host, so shown.
  for (const auto& name : vms_without_profile(cfg, p.entries, units.get())) {
    ProfileEntry ghost;
    ghost.name = name;
    entries.push_back(ghost);
  }
  for (const auto& e : entries) {
    VmListRow r;
    r.profile = e;
    r.has_profile = rows.size() < p.entries.size();
    r.installed = is_installed(cfg, e.name);
    if (units) {
      try {
        r.state = units->state(cfg.unit_for(e.name));
        r.stale = runs_old_generation(cfg, e.name, *r.state);
      } catch (const Error& err) {
        bus_problem = err.what();
        units.reset();  // one warning, not one per VM
      }
    }
    r.workspace = workspace_view(cfg.workspaces, e.name);
    rows.push_back(std::move(r));
  }
  if (bus_problem) ctx.warn("the VMs' state is unknown (shown as '?'): " + *bus_problem);
  ctx.print(ctx.args.has("json") ? format_vm_json(rows) : format_vm_table(rows));
  return 0;
}

}  // namespace mvh
