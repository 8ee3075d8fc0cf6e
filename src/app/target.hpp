#pragma once
// Which VM a command is about: the NAME argument, or the name of the repository (remembered, else
// derived from its basename).
#include <optional>
#include <string>

namespace mvh {

struct Context;

struct Target {
  std::string name;       // a valid VM name
  std::string repo_root;  // the repository root of the current directory (or PATH)
  bool in_repo = false;
  bool explicit_name = false;
  bool remembered = false;  // the name came from the name book (app/name_store.hpp)
  bool to_remember = false;  // cmd_up records this name for repo_root once nothing can refuse
  bool home_repo = false;   // outside a repository, except for one at $HOME (which never counts)
};

// Repository root of dir (default: the current directory) and its name: the one remembered for
// that root, else derived from its basename. Outside a repository (a repository at $HOME does
// not count) it throws Error(Exit::usage) "'<path>' is not inside a git repository; ..." unless
// share_any_dir: then $HOME's repository is the root, or else the directory itself (with a
// warning). Throws Error(Exit::usage) "cannot derive a VM name from '<path>'; name it:
// microvm-here NAME" when the basename yields no valid name. Paths in messages are printable().
Target target_for_dir(Context& ctx, const std::optional<std::string>& dir,
                      bool share_any_dir = false);

// Target for commands taking [NAME]: an explicit name is checked as given (no rewriting;
// repo_root is then the current directory's repository root or, outside one, the directory
// itself, with in_repo false); otherwise target_for_dir(current directory).
Target target_for_name(Context& ctx, const std::optional<std::string>& name,
                       bool share_any_dir = false);

// The message for a directory outside any repository (home_repo: a repository at $HOME was
// found and did not count).
std::string not_in_repo_message(const std::string& path, bool home_repo, const std::string& home);

}  // namespace mvh
