// config_value_text: the effective value of a key as TOML, for `doctor`.
#include <nlohmann/json.hpp>

#include "core/config.hpp"

namespace mvh {
namespace {

// A JSON string is a valid TOML basic string for everything a path or argv holds.
std::string quoted(const std::string& s)
{
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string array(const std::vector<std::string>& v)
{
  std::string out = "[";
  for (const auto& a : v) out += (out.size() > 1 ? ", " : "") + quoted(a);
  return out + "]";
}

}  // namespace

std::string config_value_text(const Config& c, std::string_view key)
{
  if (key == "nixfiles") return quoted(c.nixfiles);
  if (key == "profiles") return quoted(c.profiles);
  if (key == "vm_home_dir") return quoted(c.vm_home_dir);
  if (key == "rebuild") return array(c.rebuild);
  if (key == "subnet") return quoted(c.subnet.str());
  if (key == "gateway") return quoted(c.gateway.str());
  if (key == "workspaces") return quoted(c.workspaces);
  if (key == "state_dir") return quoted(c.state_dir);
  if (key == "unit") return quoted(c.unit);
  if (key == "ssh") return array(c.ssh);
  if (key == "ssh_alias") return quoted(c.ssh_alias);
  if (key == "ssh_port") return std::to_string(c.ssh_port);
  if (key == "boot_timeout") return std::to_string(c.boot_timeout);
  if (key == "hook")
    return c.hook == HookMode::start   ? "\"start\""
           : c.hook == HookMode::enter ? "\"enter\""
                                       : "\"status\"";
  return "?";
}

}  // namespace mvh
