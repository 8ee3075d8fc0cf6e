// `__privileged ACTION NAME [TARGET]`: the only code meant to run as root through sudo. It
// trusts nothing from the caller: where it links, what it starts and which names exist come
// from /etc/microvm-here/config.toml (or the defaults) and the installed VMs; the caller's files
// are read with the caller's own uid and groups; the target must be an existing directory the
// caller owns, given as its canonical path. Everything is checked before anything is changed.
// It takes nothing from its environment (run_main keeps only the variables that name the
// caller, privileged_caller.cpp decides who that is) and talks to systemd only over the
// standard system bus socket.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/elevate.hpp"
#include "app/privileged_caller.hpp"
#include "app/profile_store.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/vm_name.hpp"
#include "sys/capped_read.hpp"
#include "sys/fs.hpp"
#include "sys/run_as_user.hpp"
#include "sys/units.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

constexpr const char* k_system_config = "/etc/microvm-here/config.toml";
constexpr const char* k_how =
    "microvm-here runs this step itself through sudo; run microvm-here "
    "without __privileged";

[[noreturn]] void refuse_target(const std::string& target, const std::string& why)
{
  throw failure("refusing target '" + printable(target) + "': " + why);
}

// As the caller: an absolute, canonical path (no symlink, '.', '..' or '//') of a directory
// the caller owns.
void check_target(const std::string& target, uid_t uid)
{
  if (target.empty() || target.front() != '/')
    throw usage_error("refusing target '" + printable(target) +
                      "': it is not an absolute path; pass the "
                      "repository's canonical absolute path (" +
                      k_how + ")");
  char buf[PATH_MAX];
  if (!::realpath(target.c_str(), buf))
    refuse_target(target, std::string("you cannot reach it (") + std::strerror(errno) +
                              "); pass an existing directory of yours");
  if (target != buf)
    refuse_target(target,
                  "it is not canonical (it goes through a symlink, '.', '..' or '//'); "
                  "pass the real path " +
                      printable(buf) + " if that is meant");
  struct stat st {};
  if (::lstat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
    refuse_target(target, "it is not a directory; pass the repository's root directory");
  if (st.st_uid != uid)
    refuse_target(target, "it is owned by uid " + std::to_string(st.st_uid) +
                              ", not by you "
                              "(uid " +
                              std::to_string(uid) +
                              "); through sudo only a directory "
                              "you own can become a VM's workspace");
}

// As root: every directory from / down to dir is root's, no symlink, and not writable by others
// unless sticky, so nobody can swap it under the link we make there.
void check_workspaces_dir(const std::string& dir)
{
  auto unsafe = [&](const std::string& at, const std::string& why) {
    return failure("the workspaces directory " + dir + " is not safe for root to link in: " + at +
                   " " + why +
                   "; make every directory on that path root's and not writable by "
                   "others (the NixOS module's tmpfiles rule does), or change 'workspaces' in " +
                   k_system_config);
  };
  if (dir.empty() || dir.front() != '/') throw unsafe(dir, "is not an absolute path");
  std::string at;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i < dir.size() && dir[i] != '/') continue;
    at = i == 0 ? "/" : dir.substr(0, i);
    struct stat st {};
    if (::lstat(at.c_str(), &st) != 0) throw unsafe(at, std::string(std::strerror(errno)));
    if (S_ISLNK(st.st_mode)) throw unsafe(at, "is a symlink");
    if (!S_ISDIR(st.st_mode)) throw unsafe(at, "is not a directory");
    if (st.st_uid != 0) throw unsafe(at, "is owned by uid " + std::to_string(st.st_uid));
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0)
      throw unsafe(at, "is writable by others and not sticky");
  }
}

// The caller's configuration must agree with the system's on every key this step relies on.
void check_agrees(const Config& mine, const Config& sys, bool sys_file)
{
  struct Key {
    const char* name;
    const std::string& mine;
    const std::string& sys;
  };
  std::vector<Key> keys{{"workspaces", mine.workspaces, sys.workspaces},
                        {"state_dir", mine.state_dir, sys.state_dir},
                        {"unit", mine.unit, sys.unit}};
  if (sys_file) {
    keys.push_back({"nixfiles", mine.nixfiles, sys.nixfiles});
    keys.push_back({"profiles", mine.profiles, sys.profiles});
  }
  const std::string sys_where =
      sys_file ? std::string("the system configuration ") + k_system_config + " has"
               : std::string("the default is (") + k_system_config + " does not exist)";
  const std::string where = mine.source.empty() ? "the built-in defaults" : mine.source;
  auto refuse = [&](const Key& k) {
    return failure("your configuration " + where + " sets " + k.name + " = \"" + k.mine +
                   "\", but " + sys_where + " \"" + k.sys +
                   "\"; through sudo only the system's value is used: remove '" + k.name +
                   "' from " + where + " or set it to \"" + k.sys + "\"");
  };
  for (const Key& k : keys)
    if (k.mine != k.sys) throw refuse(k);
}

}  // namespace

int cmd_privileged(Context& ctx)
{
  if (::geteuid() != 0)
    throw usage_error("__privileged needs root and is not meant to be called directly; " +
                      std::string(k_how));
  if (ctx.args.nixfiles)
    throw usage_error(
        "__privileged does not take --nixfiles: the privileged step uses the "
        "system's nixfiles; " +
        std::string(k_how));
  const auto& pos = ctx.args.positionals;
  const std::string word = pos.empty() ? "" : pos[0];
  const auto action = parse_privileged_word(word);
  if (!action)
    throw usage_error("__privileged: unknown action '" + word +
                      "' (known: link, start, "
                      "restart, link+start, link+restart); " +
                      k_how);
  const PrivilegedSteps steps = privileged_steps(*action);
  const size_t want = steps.link ? 3 : 2;
  if (pos.size() != want)
    throw usage_error("__privileged " + word + " takes " +
                      (steps.link ? "NAME TARGET" : "NAME only") + ", got " +
                      std::to_string(pos.size() - 1) + " argument(s); " + k_how);
  const std::string& name = pos[1];
  check_vm_name(name);
  const Caller caller = calling_user(ctx);

  // Root's view: the system configuration only, '~' meaning the caller's home.
  auto sys_text = read_file_capped(k_system_config, k_config_limit);
  const Config trusted = sys_text ? parse_config(*sys_text, k_system_config, caller.home)
                                  : default_config(caller.home);

  // The caller's view (their --config, else their XDG file, else the system's), read as them.
  // Its environment is not the caller's either (run_main kept only who called): HOME only.
  Context user_ctx;
  user_ctx.env.cwd = ctx.env.cwd;
  user_ctx.env.uid = caller.uid;
  user_ctx.env.gid = caller.gid;
  user_ctx.env.vars["HOME"] = caller.home;
  // No programs either, even as the caller: the step's verdict must come from our own reading
  // of the files, not from a program found through the caller's environment or cwd; a
  // profiles.nix that needs nix-instantiate is refused rather than evaluated.
  user_ctx.env.vars["PATH"] = "/nonexistent";
  user_ctx.no_programs = true;
  user_ctx.args.config_file = ctx.args.config_file;
  // The caller's files are read by a child that is the caller for good (uid, gid and groups:
  // sudo leaves root's groups in place), so they grant nothing the caller lacks and even a
  // parser bug cannot take root back.
  run_as_user(UserIdentity{caller.uid, caller.gid, caller.groups}, [&] {
    check_agrees(user_ctx.config(), trusted, sys_text.has_value());
    LoadedProfiles p = load_profiles(user_ctx);
    if (!find_profile(p, name))
      throw failure("refusing '" + name + "': it is not registered in " + p.path +
                    "; register it first: microvm-here register " + name);
    if (steps.link) check_target(pos[2], caller.uid);
  });

  const std::string runner = trusted.state_dir + "/" + name + "/current/bin/microvm-run";
  if (!is_executable_file(runner))
    throw Error(Exit::vm_start, "refusing '" + name +
                                    "': no VM by that name is installed on "
                                    "this host (" +
                                    runner +
                                    " is missing); rebuild the host "
                                    "(microvm-here does, unless --no-rebuild), then run again");
  if (steps.link) {
    check_workspaces_dir(trusted.workspaces);
    // microvm.nix's tmpfiles rule for the share may have made an empty directory there.
    const passwd* service = ::getpwnam(trusted.microvm_user.c_str());
    point_link(trusted.workspaces, name, pos[2],
               LinkOwner{caller.uid, caller.gid,
                         service ? std::optional<unsigned>(service->pw_uid) : std::nullopt});
  }
  if (steps.start || steps.restart) {
    const std::string unit = trusted.unit_for(name);
    try {
      auto units = connect_system_units(SystemBus::standard_socket);
      if (steps.restart)
        units->restart(unit);
      else
        units->start(unit);
    } catch (const AccessDenied& denied) {
      throw Error(Exit::vm_start, "Failed to start " + unit + " as root: " + denied.message +
                                      "; see \"systemctl status " + unit + "\"");
    }
  }
  return 0;
}

}  // namespace mvh
