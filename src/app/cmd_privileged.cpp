// `__privileged ACTION NAME [TARGET]`: the only code meant to run as root through sudo. It
// trusts nothing from the caller: the workspaces directory and the unit come from the system
// configuration (or the defaults); the caller's files are read with the caller's own rights;
// the target must be an existing directory the caller owns, given as its canonical path.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/profile_store.hpp"
#include "core/error.hpp"
#include "core/vm_name.hpp"
#include "sys/fs.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

Caller calling_user(const Context& ctx)
{
  Caller c;
  if (ctx.env.has("SUDO_UID")) {
    char* end = nullptr;
    std::string s = ctx.env.get("SUDO_UID");
    unsigned long v = std::strtoul(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0') throw failure("SUDO_UID is not a number: '" + s + "'");
    c.uid = static_cast<uid_t>(v);
  }
  const passwd* pw = ::getpwuid(c.uid);
  if (!pw) throw failure("no passwd entry for uid " + std::to_string(c.uid));
  c.gid = pw->pw_gid;
  c.home = pw->pw_dir;
  return c;
}

// Runs f with the caller's effective ids, so reading their files grants nothing extra.
template <class F>
auto as_caller(const Caller& c, F f)
{
  if (::setegid(c.gid) != 0 || ::seteuid(c.uid) != 0) throw failure("cannot drop privileges");
  struct Restore {
    ~Restore()
    {
      (void)!::seteuid(0);
      (void)!::setegid(0);
    }
  } restore;
  return f();
}

void check_target(const std::string& target, uid_t uid)
{
  if (target.empty() || target.front() != '/')
    throw failure("refusing target '" + target + "': it must be an absolute path");
  char buf[PATH_MAX];
  if (!::realpath(target.c_str(), buf))
    throw failure("refusing target '" + target + "': it does not exist or is not readable");
  if (target != buf)
    throw failure("refusing target '" + target + "': it is not canonical (it goes through a "
                  "symlink, '.', '..' or '//'); pass " + std::string(buf));
  struct stat st {};
  if (::lstat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
    throw failure("refusing target '" + target + "': it is not a directory");
  if (st.st_uid != uid)
    throw failure("refusing target '" + target + "': it is owned by uid " +
                  std::to_string(st.st_uid) + ", not by the calling user (uid " +
                  std::to_string(uid) + ")");
}

}  // namespace

int cmd_privileged(Context& ctx)
{
  if (::geteuid() != 0)
    throw usage_error("__privileged is run by microvm-here through sudo; do not call it directly");
  if (ctx.args.nixfiles) throw usage_error("__privileged does not take --nixfiles");
  const auto& pos = ctx.args.positionals;
  const std::string action = pos.empty() ? "" : pos[0];
  const bool wants_link = action == "link" || action == "link+start";
  const bool wants_start = action == "start" || action == "link+start";
  if (!wants_link && !wants_start) throw usage_error("__privileged: unknown action '" + action + "'");
  if (pos.size() != (wants_link ? 3u : 2u))
    throw usage_error("__privileged " + action + ": wrong number of arguments");
  const std::string& name = pos[1];
  check_vm_name(name);
  const Caller caller = calling_user(ctx);

  // Root's view: the system configuration only (sudo strips the caller's environment).
  Context root_ctx;
  root_ctx.env = ctx.env;
  root_ctx.env.vars.erase("MICROVM_HERE_CONFIG");
  root_ctx.env.vars["XDG_CONFIG_HOME"] = "/nonexistent";
  const Config trusted = root_ctx.config();

  // The caller's view, read with the caller's rights.
  Context user_ctx;
  user_ctx.env = ctx.env;
  user_ctx.env.vars["HOME"] = caller.home;
  user_ctx.env.vars.erase("XDG_CONFIG_HOME");
  user_ctx.args.config_file = ctx.args.config_file;
  as_caller(caller, [&] {
    const Config& mine = user_ctx.config();
    if (wants_link && mine.workspaces != trusted.workspaces)
      throw failure("your configuration's workspaces (" + mine.workspaces +
                    ") differs from the system's (" + trusted.workspaces +
                    "); sudo only links under " + trusted.workspaces);
    LoadedProfiles p = load_profiles(user_ctx);
    if (!find_profile(p, name))
      throw failure("refusing '" + name + "': it is not registered in " + p.path);
    if (wants_link) check_target(pos[2], caller.uid);
    return 0;
  });

  if (wants_link) point_link(trusted.workspaces, name, pos[2]);
  if (wants_start) connect_system_units()->start(trusted.unit_for(name));
  return 0;
}

}  // namespace mvh
