#include "app/target.hpp"

#include "app/context.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/vm_name.hpp"
#include "sys/fs.hpp"
#include "sys/repo_root.hpp"

namespace mvh {

Target target_for_dir(Context& ctx, const std::optional<std::string>& dir)
{
  std::string start = dir ? join_path(ctx.env.cwd, *dir) : ctx.env.cwd;
  if (start.empty())
    throw usage_error("the current directory no longer exists; cd somewhere else and run again");
  RepoRoot root = find_repo_root(start);
  if (!root.in_repo)
    ctx.warn("'" + printable(root.path) +
             "' is not inside a git repository; using the directory itself");
  auto name = derive_vm_name(base_name(root.path));
  if (!name)
    throw usage_error("cannot derive a VM name from '" + printable(root.path) +
                      "'; name it: microvm-here NAME");
  return Target{*name, root.path, root.in_repo, false};
}

Target target_for_name(Context& ctx, const std::optional<std::string>& name)
{
  if (!name) return target_for_dir(ctx, std::nullopt);
  check_vm_name(*name);
  Target t;
  t.name = *name;
  t.explicit_name = true;
  if (!ctx.env.cwd.empty()) {
    RepoRoot root = find_repo_root(ctx.env.cwd);
    t.repo_root = root.path;
    t.in_repo = root.in_repo;
  }
  return t;
}

}  // namespace mvh
