#include "core/hook_env.hpp"

#include "core/shell_quote.hpp"

namespace mvh {
namespace {

constexpr std::string_view k_name_var = "MICROVM_HERE_NAME";
constexpr std::string_view k_profile_var = "MICROVM_HERE_PROFILE";
constexpr std::string_view k_enter_var = "__microvm_here_enter";

bool plain(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

std::string fish_quote(std::string_view s)
{
  bool safe = !s.empty();
  for (char c : s) safe = safe && plain(c);
  if (safe) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += "'";
  return out;
}

void export_var(std::string& out, Shell shell, std::string_view var, std::string_view value)
{
  out += shell == Shell::fish ? "set -gx " : "export ";
  out += var;
  out += shell == Shell::fish ? " " : "=";
  out += quote_word(shell, value);
  out += '\n';
}

void unset_var(std::string& out, Shell shell, std::string_view var)
{
  out += shell == Shell::fish ? "set -e " : "unset ";
  out += var;
  out += '\n';
}

}  // namespace

std::optional<Shell> parse_shell(std::string_view word)
{
  if (word == "zsh") return Shell::zsh;
  if (word == "bash") return Shell::bash;
  if (word == "fish") return Shell::fish;
  return std::nullopt;
}

std::string_view shell_name(Shell shell)
{
  switch (shell) {
    case Shell::zsh:
      return "zsh";
    case Shell::bash:
      return "bash";
    case Shell::fish:
      break;
  }
  return "fish";
}

std::string quote_word(Shell shell, std::string_view s)
{
  return shell == Shell::fish ? fish_quote(s) : shell_quote(s);
}

std::string render_hook_script(Shell shell, std::string_view script, std::string_view self_exe)
{
  const std::string quoted = quote_word(shell, self_exe);
  std::string out;
  out.reserve(script.size() + 4 * quoted.size());
  while (!script.empty()) {
    const std::size_t eol = script.find('\n');
    std::string_view line = script.substr(0, eol == std::string_view::npos ? eol : eol + 1);
    script.remove_prefix(line.size());
    // A comment keeps its placeholder: a quoted word is safe only where the shell parses it as
    // a word, and a newline in the path would end the comment and make the rest code.
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] == '#') {
      out += line;
      continue;
    }
    for (;;) {
      auto at = line.find(k_self_placeholder);
      out += line.substr(0, at);
      if (at == std::string_view::npos) break;
      out += quoted;
      line.remove_prefix(at + k_self_placeholder.size());
    }
  }
  return out;
}

std::string render_hook_env(Shell shell, const HookEnv& want, const HookVars& now)
{
  std::string out;
  if (want.name != now.name) {
    if (want.name)
      export_var(out, shell, k_name_var, *want.name);
    else
      unset_var(out, shell, k_name_var);
  }
  if (want.has_profile && now.profile != "1") export_var(out, shell, k_profile_var, "1");
  if (!want.has_profile && now.profile) unset_var(out, shell, k_profile_var);
  if (want.manage_enter) {
    if (want.enter) {
      // A shell variable of the interactive shell only: child processes never see it.
      out += shell == Shell::fish ? "set -g " : shell == Shell::zsh ? "typeset -g " : "";
      out += k_enter_var;
      out += shell == Shell::fish ? " " : "=";
      out += quote_word(shell, *want.enter);
      out += '\n';
    } else if (shell == Shell::fish) {
      // `set -e` of an unset variable fails; the test keeps the status clean.
      out +=
          "set -q " + std::string(k_enter_var) + "; and set -e " + std::string(k_enter_var) + "\n";
    } else {
      unset_var(out, shell, k_enter_var);
    }
  }
  return out;
}

}  // namespace mvh
