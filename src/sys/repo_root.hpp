#pragma once
// Finding the git repository a directory belongs to, as git does, without running git.
#include <string>

namespace mvh {

struct RepoRoot {
  std::string path;  // the repository's top directory, or realpath(start) outside any repo
  bool in_repo = false;
  // The repository found was the one at `home` (a dotfiles repository), which does not count:
  // path is then realpath(start) and in_repo false.
  bool home_repo = false;
};

// Resolves start with realpath, then returns the nearest ancestor (itself included) holding a
// `.git` directory or a `.git` file starting with "gitdir:" (worktrees, submodules). A few
// stat calls; runs on every `cd` of the shell hook. Throws Error(Exit::usage)
// "cannot read '<start>': <cause>" (control bytes of start escaped, see printable) when start
// does not exist or is not a directory. start_is_physical: start is already free of symlinks,
// `.` and `..` (a getcwd result), so realpath's per-component readlink is skipped.
// home (optional, e.g. $HOME): a `.git` there does not make a repository root, so a dotfiles
// repository at ~ never turns every directory under it into "repository home"; the result is
// then outside any repository with home_repo set. home is resolved with realpath only when a
// `.git` is found and the plain strings differ.
RepoRoot find_repo_root(const std::string& start, bool start_is_physical = false,
                        const std::string& home = {});

}  // namespace mvh
