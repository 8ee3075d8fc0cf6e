#pragma once
// The process environment as data (Bear's rule): passed in, never read with getenv deep inside.
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace mvh {

struct Env {
  std::map<std::string, std::string, std::less<>> vars;
  // A "KEY=value" array (envp) read on lookup for keys not in vars, instead of copying every
  // variable up front (hook-env runs on every `cd`). Erasing a key from vars does not hide it
  // here: leave this null in an Env that is edited.
  char* const* lookup = nullptr;
  std::string cwd;  // physical working directory
  unsigned uid = 0;
  unsigned gid = 0;
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stderr_tty = false;

  // The variable's value, or def when unset (an empty value counts as set).
  std::string get(std::string_view key, std::string_view def = {}) const;
  bool has(std::string_view key) const;
  std::string home() const;             // $HOME, else "/"
  std::string xdg_config_home() const;  // $XDG_CONFIG_HOME if absolute, else ~/.config
  std::string xdg_state_home() const;   // $XDG_STATE_HOME if absolute, else ~/.local/state
  // $XDG_RUNTIME_DIR if absolute, else the state home (runtime data then survives reboots,
  // which the readers tolerate).
  std::string runtime_dir() const;
};

}  // namespace mvh
