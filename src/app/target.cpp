#include "app/target.hpp"

#include "app/context.hpp"
#include "app/name_store.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/vm_name.hpp"
#include "sys/fs.hpp"
#include "sys/repo_root.hpp"

namespace mvh {

std::string not_in_repo_message(const std::string& path, bool home_repo, const std::string& home)
{
  return "'" + printable(path) + "' is not inside a git repository" +
         (home_repo
              ? " (the repository at your home directory " + printable(home) + " does not count)"
              : std::string()) +
         "; cd into a repository, or share this directory with a VM anyway: "
         "microvm-here --share-any-dir";
}

Target target_for_dir(Context& ctx, const std::optional<std::string>& dir, bool share_any_dir)
{
  std::string start = dir ? join_path(ctx.env.cwd, *dir) : ctx.env.cwd;
  if (start.empty())
    throw usage_error("the current directory no longer exists; cd somewhere else and run again");
  const std::string home = ctx.env.home();
  RepoRoot root = find_repo_root(start, false, home);
  if (!root.in_repo) {
    if (!share_any_dir) throw usage_error(not_in_repo_message(root.path, root.home_repo, home));
    // Asked for: $HOME's repository is the root then; elsewhere the directory itself.
    if (root.home_repo) root = find_repo_root(start);
    if (!root.in_repo)
      ctx.warn("'" + printable(root.path) +
               "' is not inside a git repository; sharing the directory itself (--share-any-dir)");
  }
  Target t{{}, root.path, root.in_repo, false, false, false};
  if (auto remembered = read_name_book(ctx.env).name_of(root.path)) {
    t.name = *remembered;
    t.remembered = true;
    return t;
  }
  auto name = derive_vm_name(base_name(root.path));
  if (!name)
    throw usage_error("cannot derive a VM name from '" + printable(root.path) +
                      "'; name it: microvm-here NAME");
  t.name = *name;
  return t;
}

Target target_for_name(Context& ctx, const std::optional<std::string>& name, bool share_any_dir)
{
  if (!name) return target_for_dir(ctx, std::nullopt, share_any_dir);
  check_vm_name(*name);
  Target t;
  t.name = *name;
  t.explicit_name = true;
  if (!ctx.env.cwd.empty()) {
    RepoRoot root = find_repo_root(ctx.env.cwd, false, ctx.env.home());
    t.repo_root = root.path;
    t.in_repo = root.in_repo;
    t.home_repo = root.home_repo;
  }
  return t;
}

}  // namespace mvh
