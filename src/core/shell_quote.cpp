#include "core/shell_quote.hpp"

namespace mvh {
namespace {

bool plain(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string_view s)
{
  bool safe = !s.empty();
  for (char c : s) safe = safe && plain(c);
  if (safe) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

std::string shell_join(const std::vector<std::string>& words)
{
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += shell_quote(w);
  }
  return out;
}

std::vector<std::string> ssh_argv(const SshCommand& c)
{
  std::vector<std::string> argv = c.prefix;
  const bool on_terminal = c.stdin_tty && (c.remote.empty() || c.stdout_tty);
  if (c.tty == RemoteTty::force || (c.tty == RemoteTty::automatic && on_terminal))
    argv.push_back("-t");
  if (c.tty == RemoteTty::never) argv.push_back("-T");
  // "--" ends ssh's options, so nothing after the alias is ever read as an option of ssh.
  argv.push_back("--");
  argv.push_back(c.alias);
  if (!c.remote.empty()) argv.push_back(shell_join(c.remote));
  return argv;
}

}  // namespace mvh
