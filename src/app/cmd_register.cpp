// register [NAME] [--dry-run], and list [--json|--names].
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/profile_store.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/text_diff.hpp"

namespace mvh {
namespace {

std::string pad(std::string s, size_t n)
{
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

}  // namespace

std::string describe_registration(const Registration& r, bool dry_run)
{
  const NewProfile& p = r.profile;
  std::string out = (dry_run ? "would register " : "registered ") + p.name + " in " +
                    r.profiles_path + "\n";
  out += "  ipAddress  " + p.ip_address + "\n";
  out += "  tapId      " + p.tap_id + "\n";
  out += "  mac        " + p.mac + "\n";
  if (p.vsock_cid) out += "  vsockCid   " + std::to_string(*p.vsock_cid) + "\n";
  out += std::string("  ") + (r.home_created ? (dry_run ? "would create " : "created    ")
                                             : "kept       ") +
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
    std::string out;
    for (const auto& e : p.entries) out += e.name + "\n";
    ctx.print(out);
    return 0;
  }
  if (ctx.args.has("json")) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& e : p.entries) {
      nlohmann::ordered_json o;
      o["name"] = e.name;
      o["ipAddress"] = e.ip_address ? nlohmann::ordered_json(*e.ip_address) : nullptr;
      o["tapId"] = e.tap_id ? nlohmann::ordered_json(*e.tap_id) : nullptr;
      o["mac"] = e.mac ? nlohmann::ordered_json(*e.mac) : nullptr;
      o["vsockCid"] = e.vsock_cid ? nlohmann::ordered_json(*e.vsock_cid) : nullptr;
      arr.push_back(o);
    }
    ctx.print(arr.dump(2) + "\n");
    return 0;
  }
  std::string out = pad("NAME", 20) + pad("IP", 17) + pad("TAP", 12) + pad("MAC", 19) + "CID\n";
  for (const auto& e : p.entries) {
    out += pad(e.name, 19) + " " + pad(e.ip_address.value_or("-"), 16) + " " +
           pad(e.tap_id.value_or("-"), 11) + " " + pad(e.mac.value_or("-"), 18) + " " +
           (e.vsock_cid ? std::to_string(*e.vsock_cid) : "-") + "\n";
  }
  ctx.print(out);
  return 0;
}

}  // namespace mvh
