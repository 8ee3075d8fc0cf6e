#pragma once
// Which VM a command is about: the NAME argument, or the name derived from the repository.
#include <optional>
#include <string>

namespace mvh {

struct Context;

struct Target {
  std::string name;       // a valid VM name
  std::string repo_root;  // the repository root of the current directory (or PATH)
  bool in_repo = false;
  bool explicit_name = false;
};

// Repository root of dir (default: the current directory) and its derived name. Warns when dir
// is outside any repository. Throws Error(Exit::usage) "cannot derive a VM name from '<path>';
// name it: microvm-here NAME" when the basename yields no valid name. Paths in messages are
// printable(): a newline or escape sequence in a directory name cannot break the line.
Target target_for_dir(Context& ctx, const std::optional<std::string>& dir);

// Target for commands taking [NAME]: an explicit name is checked as given (no rewriting);
// otherwise target_for_dir(current directory).
Target target_for_name(Context& ctx, const std::optional<std::string>& name);

}  // namespace mvh
