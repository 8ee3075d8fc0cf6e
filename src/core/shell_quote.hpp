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

struct SshCommand {
  std::vector<std::string> prefix;  // the configured `ssh` argv prefix, e.g. {"ssh"}
  std::string alias;                // e.g. "microvm-foo"
  bool tty = false;                 // stdin is a terminal: ask for a remote tty
  std::vector<std::string> remote;  // COMMAND [ARG...] after "--"; empty: interactive shell
};

// prefix + ["-t"] + ["--", alias] + [shell_join(remote)]; "-t" only with tty.
std::vector<std::string> ssh_argv(const SshCommand& c);

}  // namespace mvh
