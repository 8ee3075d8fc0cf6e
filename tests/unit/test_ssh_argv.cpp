// ssh_argv: when ssh is asked for a terminal in the VM (pure).
#include "catch_compat.hpp"

#include "core/shell_quote.hpp"

using mvh::RemoteTty;
using mvh::SshCommand;
using Argv = std::vector<std::string>;

namespace {

Argv argv_for(std::vector<std::string> remote, RemoteTty tty, bool in, bool out)
{
  return mvh::ssh_argv(SshCommand{{"ssh"}, "microvm-a", std::move(remote), tty, in, out});
}

}  // namespace

TEST_CASE("ssh_argv asks for a terminal for a command only when stdin and stdout are one",
          "[ssh_argv]")
{
  const Argv cmd{"ls", "-l"};
  CHECK(argv_for(cmd, RemoteTty::automatic, true, true) ==
        Argv{"ssh", "-t", "--", "microvm-a", "ls -l"});
  // `microvm-here -- cmd | less`: a remote terminal would turn "\n" into "\r\n" and merge
  // stderr into the pipe.
  CHECK(argv_for(cmd, RemoteTty::automatic, true, false) ==
        Argv{"ssh", "--", "microvm-a", "ls -l"});
  CHECK(argv_for(cmd, RemoteTty::automatic, false, true) ==
        Argv{"ssh", "--", "microvm-a", "ls -l"});
}

TEST_CASE("ssh_argv: an interactive shell gets a terminal when stdin is one", "[ssh_argv]")
{
  CHECK(argv_for({}, RemoteTty::automatic, true, false) == Argv{"ssh", "-t", "--", "microvm-a"});
  CHECK(argv_for({}, RemoteTty::automatic, false, true) == Argv{"ssh", "--", "microvm-a"});
}

TEST_CASE("ssh_argv: -t and -T force it either way", "[ssh_argv]")
{
  CHECK(argv_for({"top"}, RemoteTty::force, true, false) ==
        Argv{"ssh", "-t", "--", "microvm-a", "top"});
  CHECK(argv_for({}, RemoteTty::never, true, true) == Argv{"ssh", "-T", "--", "microvm-a"});
  CHECK(argv_for({"a b"}, RemoteTty::never, true, true) ==
        Argv{"ssh", "-T", "--", "microvm-a", "'a b'"});
}
