#pragma once
// The shell code of the hook (pure): the script printed by `microvm-here hook SHELL` and the
// variable changes printed by `microvm-here hook-env SHELL` on each directory change.
#include <optional>
#include <string>
#include <string_view>

namespace mvh {

enum class Shell { zsh, bash, fish };

// The shell called word ("zsh", "bash", "fish"), or nullopt for any other word.
std::optional<Shell> parse_shell(std::string_view word);

// The name of shell, e.g. "zsh".
std::string_view shell_name(Shell shell);

// s as one word of shell's syntax: unchanged when it only has [A-Za-z0-9_@%+=:,./-] (and is
// not empty), else single-quoted (fish: with \\ and \' escapes; zsh/bash: ' as '\''). Never
// fails.
std::string quote_word(Shell shell, std::string_view s);

// The placeholder in the embedded scripts that stands for the binary's path.
inline constexpr std::string_view k_self_placeholder = "@MICROVM_HERE@";

// script with every k_self_placeholder in code replaced by self_exe quoted for shell; comment
// lines (first non-blank '#') are kept as they are, so no path (a newline in it included) can
// end a comment and become code. Never fails.
std::string render_hook_script(Shell shell, std::string_view script, std::string_view self_exe);

// What the hook variables should be for the current directory.
struct HookEnv {
  std::optional<std::string> name;   // MICROVM_HERE_NAME; nullopt: unset (outside a repository)
  bool has_profile = false;          // MICROVM_HERE_PROFILE=1, else unset
  bool manage_enter = false;         // hook = "enter": set or clear the pending enter
  std::optional<std::string> enter;  // the VM to enter at the next prompt (manage_enter only)
};

// What the calling shell's environment holds now (so only changes are printed).
struct HookVars {
  std::optional<std::string> name;     // $MICROVM_HERE_NAME
  std::optional<std::string> profile;  // $MICROVM_HERE_PROFILE
};

// Shell code that turns now into want: one statement per line, only for what changes, so an
// unchanged directory state prints "" (zsh/bash: `export V=x` / `unset V`; fish:
// `set -gx V x` / `set -e V`). The pending enter lives in the shell variable
// __microvm_here_enter. Never fails.
std::string render_hook_env(Shell shell, const HookEnv& want, const HookVars& now);

}  // namespace mvh
