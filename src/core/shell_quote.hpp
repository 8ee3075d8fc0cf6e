#pragma once
// Quoting for the remote POSIX shell and building the ssh argv (pure). The argv stays a list
// until the single execvp (mosh's rule); argument boundaries survive (HOST.md pitfall 7).
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

// s quoted for a POSIX shell: unchanged when it only has [A-Za-z0-9_@%+=:,./-] (and is not
// empty), else in single quotes with ' written as '\''.
std::string shell_quote(std::string_view s);

// The words quoted and joined by single spaces: one string ssh hands to the remote shell.
std::string shell_join(const std::vector<std::string>& words);

// Whether to ask ssh for a terminal in the VM: as the user said (-t / -T), or decided by ours.
enum class RemoteTty { automatic, force, never };

struct SshCommand {
  std::vector<std::string> prefix;  // the configured `ssh` argv prefix, e.g. {"ssh"}
  std::string alias;                // e.g. "microvm-foo"
  std::vector<std::string> remote;  // COMMAND [ARG...] after "--"; empty: interactive shell
  RemoteTty tty = RemoteTty::automatic;
  bool stdin_tty = false;   // our stdin is a terminal
  bool stdout_tty = false;  // our stdout is a terminal
};

// prefix + ["-t" | "-T"] + ["--", alias] + [shell_join(remote)]. "-t" when forced; when
// automatic, for a COMMAND only if stdin and stdout both are terminals (a remote terminal
// turns "\n" into "\r\n" and merges stderr into stdout: piped output would be corrupted), for
// an interactive shell if stdin is one. "-T" only when the user said so. Never fails.
std::vector<std::string> ssh_argv(const SshCommand& c);

}  // namespace mvh
