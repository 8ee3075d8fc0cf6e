#include "core/env.hpp"

namespace mvh {
namespace {

bool absolute(const std::string& p)
{
  return !p.empty() && p.front() == '/';
}

// The value of key in envp, as getenv finds it (the first "KEY=" entry), or null.
const char* find_in(char* const* envp, std::string_view key)
{
  if (key.find('=') != std::string_view::npos) return nullptr;  // never a variable's name
  for (char* const* e = envp; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.size() > key.size() && kv[key.size()] == '=' && kv.substr(0, key.size()) == key)
      return *e + key.size() + 1;
  }
  return nullptr;
}

}  // namespace

std::string Env::get(std::string_view key, std::string_view def) const
{
  auto it = vars.find(key);
  if (it != vars.end()) return it->second;
  const char* v = find_in(lookup, key);
  return v ? std::string(v) : std::string(def);
}

bool Env::has(std::string_view key) const
{
  return vars.find(key) != vars.end() || find_in(lookup, key);
}

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
