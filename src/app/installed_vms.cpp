#include "app/installed_vms.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "app/context.hpp"
#include "app/ready_stamp.hpp"
#include "core/error.hpp"
#include "core/installed_vm.hpp"
#include "sys/fs.hpp"
#include "sys/units.hpp"

namespace mvh {
namespace {

constexpr std::size_t k_runner_max = 1 << 20;  // a runner is a short script; read at most 1 MiB

bool has_profile(const std::vector<ProfileEntry>& entries, const std::string& name)
{
  return std::any_of(entries.begin(), entries.end(),
                     [&](const ProfileEntry& e) { return e.name == name; });
}

std::vector<std::string> installed_names(const Config& cfg)
{
  std::vector<std::string> out;
  for (const auto& n : list_dir(cfg.state_dir))
    if (n[0] != '.' && is_installed(cfg, n)) out.push_back(n);
  return out;
}

}  // namespace

std::string runner_path(const Config& cfg, const std::string& name)
{
  return cfg.state_dir + "/" + name + "/current/bin/microvm-run";
}

bool is_installed(const Config& cfg, const std::string& name)
{
  return is_executable_file(runner_path(cfg, name));
}

bool runs_old_generation(const Config& cfg, const std::string& name, const UnitState& st)
{
  if (st.active_state != "active" && st.active_state != "activating" &&
      st.active_state != "reloading")
    return false;
  const std::string dir = cfg.state_dir + "/" + name;
  auto booted = read_link(dir + "/booted");
  auto current = read_link(dir + "/current");
  return booted && current && *booted != *current;
}

std::vector<std::string> vms_without_profile(const Config& cfg,
                                             const std::vector<ProfileEntry>& entries, Units* units)
{
  std::set<std::string> names;
  for (const auto& n : installed_names(cfg))
    if (!has_profile(entries, n)) names.insert(n);
  if (units) {
    try {
      for (const auto& u : units->units_matching(unit_glob(cfg.unit)))
        if (auto n = name_of_unit(cfg.unit, u); n && !n->empty() && !has_profile(entries, *n))
          names.insert(*n);
    } catch (const Error&) {
    }
  }
  return {names.begin(), names.end()};
}

std::vector<ProfileEntry> values_held_without_profile(const Context& ctx, const Config& cfg,
                                                      const std::vector<ProfileEntry>& entries)
{
  std::vector<ProfileEntry> out;
  for (const auto& name : installed_names(cfg)) {
    if (has_profile(entries, name)) continue;
    std::optional<std::string> text;
    try {
      text = read_file(runner_path(cfg, name));
    } catch (const Error&) {
    }
    if (text) {
      if (text->size() > k_runner_max) text->resize(k_runner_max);
      for (auto& e : values_in_runner(name, *text, cfg.subnet)) out.push_back(std::move(e));
    }
    // microvm.nix's runner records the vsock CID it was built with (share/microvm/vsock-cid).
    std::optional<std::string> cid;
    try {
      cid = read_file(cfg.state_dir + "/" + name + "/current/share/microvm/vsock-cid");
    } catch (const Error&) {
    }
    if (cid) {
      char* end = nullptr;
      const long long n = std::strtoll(cid->c_str(), &end, 10);
      if (end != cid->c_str() && n > 0) {
        ProfileEntry e;
        e.name = name;
        e.vsock_cid = n;
        out.push_back(std::move(e));
      }
    }
    if (auto stamp = read_ready_stamp(ctx, name)) {
      ProfileEntry e;
      e.name = name;
      e.ip_address = stamp->profile_host;
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace mvh
