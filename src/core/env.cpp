#include "core/env.hpp"

namespace mvh {
namespace {

bool absolute(const std::string& p) { return !p.empty() && p.front() == '/'; }

}  // namespace

std::string Env::get(std::string_view key, std::string_view def) const
{
  auto it = vars.find(key);
  return it == vars.end() ? std::string(def) : it->second;
}

bool Env::has(std::string_view key) const { return vars.find(key) != vars.end(); }

std::string Env::home() const
{
  std::string h = get("HOME");
  return absolute(h) ? h : "/";
}

std::string Env::xdg_config_home() const
{
  std::string x = get("XDG_CONFIG_HOME");
  return absolute(x) ? x : home() + "/.config";
}

std::string Env::xdg_state_home() const
{
  std::string x = get("XDG_STATE_HOME");
  return absolute(x) ? x : home() + "/.local/state";
}

std::string Env::runtime_dir() const
{
  std::string x = get("XDG_RUNTIME_DIR");
  return absolute(x) ? x : xdg_state_home();
}

}  // namespace mvh
