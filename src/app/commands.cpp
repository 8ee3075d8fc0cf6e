#include "app/commands.hpp"

#include <vector>

namespace mvh {

std::span<const CommandSpec> commands()
{
  static const std::vector<CommandSpec> table{
      {"", "[NAME] [-- COMMAND [ARG...]]",
       "create the VM if needed, start it, wait for SSH, enter it (or run COMMAND)",
       {{"no-rebuild", 0, "", "never run the rebuild command"},
        {"restart", 0, "", "restart the VM (e.g. to see a re-pointed workspace)"},
        {"rebuild", 0, "", "run the rebuild command even when the VM is installed"},
        {"force", 0, "", "with --restart: restart even with live SSH sessions"},
        {"here", 0, "", "point NAME's workspace at this repository"},
        {"new-name", 0, "", "give this repository a VM of its own when its name is taken"},
        {"share-any-dir", 0, "", "allow sharing $HOME, / or a directory outside any repository"},
        {"timeout", 0, "SECONDS", "how long to wait for SSH (default: boot_timeout)"},
        {"dry-run", 'n', "", "print every step and the final ssh argv; change nothing"},
        {"tty", 't', "", "ask for a terminal in the VM even when piped (ssh -t)"},
        {"no-tty", 'T', "", "never ask for a terminal in the VM (ssh -T)"}},
       1, ArgKind::profile, true, false, cmd_up},
      {"name", "[PATH]", "print the VM name of the repository at PATH (default: current dir)",
       {}, 1, ArgKind::dir, false, false, cmd_name},
      {"register", "[NAME]", "add the profile and the per-VM Home Manager file (no rebuild)",
       {{"dry-run", 'n', "", "print the change; write nothing"}},
       1, ArgKind::profile, false, false, cmd_register},
      {"unregister", "NAME",
       "stop the VM, remove its workspace link and profile (keeps its Home Manager file)",
       {{"delete-home-file", 0, "", "also delete its Home Manager file (the file only)"}},
       1, ArgKind::profile, false, false, cmd_unregister},
      {"list", "", "registered profiles with ipAddress, tapId, mac, vsockCid and state",
       {{"json", 0, "", "print JSON"}, {"names", 0, "", "print only the names (fast)"}},
       0, ArgKind::none, false, false, cmd_list},
      {"status", "[NAME]", "profile, installed?, unit state, IP, workspace link, reachable?",
       {{"json", 0, "", "print JSON"}}, 1, ArgKind::profile, false, false, cmd_status},
      {"stop", "[NAME]", "stop the VM's unit", {}, 1, ArgKind::profile, false, false, cmd_stop},
      {"logs", "[NAME]", "the VM's log (hypervisor and guest console)",
       {{"follow", 'f', "", "keep printing new lines"},
        {"lines", 'n', "N", "how many lines to show (default 50)"}},
       1, ArgKind::profile, false, false, cmd_logs},
      {"hook", "SHELL", "print the shell hook: eval \"$(microvm-here hook zsh)\"", {}, 1,
       ArgKind::shell, false, false, cmd_hook},
      {"hook-env", "SHELL", "shell code for the current directory (called by the hook)", {}, 1,
       ArgKind::shell, false, true, cmd_hook_env},
      {"__hook-start", "NAME", "start NAME's VM in the background (hook = \"start\")", {}, 1,
       ArgKind::none, false, true, cmd_hook_start},
      {"trust", "[PATH]", "let the hook start/enter the VM of the repository at PATH", {}, 1,
       ArgKind::dir, false, false, cmd_trust},
      {"untrust", "[PATH]", "take back 'trust' for the repository at PATH", {}, 1, ArgKind::dir,
       false, false, cmd_untrust},
      {"doctor", "", "check the setup and say how to fix what is wrong", {}, 0, ArgKind::none,
       false, false, cmd_doctor},
      {"help", "[COMMAND]", "show help for microvm-here or one command", {}, 1, ArgKind::none,
       false, false, cmd_help},
      {"__complete", "WHAT [COMMAND]", "lists for the completion scripts", {}, 2,
       ArgKind::none, false, true, cmd_complete},
      {"__privileged", "ACTION NAME [TARGET]", "the narrow step run through sudo",
       {{"caller", 0, "USER", "as root without sudo, doas or pkexec: the user to act for"}}, 3,
       ArgKind::none, false, true, cmd_privileged},
  };
  return table;
}

}  // namespace mvh
