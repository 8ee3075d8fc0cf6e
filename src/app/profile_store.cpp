#include "app/profile_store.hpp"

#include <algorithm>
#include <cctype>

#include "app/context.hpp"
#include "app/installed_vms.hpp"
#include "core/allocator.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/sha256.hpp"
#include "sys/capped_read.hpp"
#include "sys/file_lock.hpp"
#include "sys/fs.hpp"
#include "sys/private_dir.hpp"
#include "sys/process.hpp"

namespace mvh {
namespace {

// Evaluates path with nix-instantiate: "import path {}" when it is a function, else "import path".
std::vector<ProfileEntry> eval_profiles(Context& ctx, const std::string& path,
                                        const std::string& construct)
{
  if (ctx.no_programs)
    throw config_error(printable(path) + ":" + construct +
                       " is not a literal microvm-here can read; the privileged step evaluates "
                       "nothing with nix-instantiate (it would run as root): write the values as "
                       "plain literals");
  auto nix = find_on_path("nix-instantiate", ctx.env.get("PATH"));
  if (!nix)
    throw config_error(printable(path) + ":" + construct +
                       " is not a literal microvm-here can read, and nix-instantiate is not on "
                       "PATH to evaluate it; install Nix (Debian: nix-bin) or write the values "
                       "as plain literals");
  ctx.debug(1, "evaluating " + path + " with nix-instantiate (" + construct + ")");
  auto r = run_capture({*nix, "--eval", "--strict", "--json", "--argstr", "p", path, "-E",
                        "{ p }: let f = import p; in if builtins.isFunction f then f { } else f"});
  if (!r.ok()) {
    std::string msg = r.err;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw config_error("nix-instantiate could not evaluate " + path + ":\n" + msg);
  }
  return profiles_from_json(r.out, path);
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Checks new text with `nix-instantiate --parse` when Nix is installed; our own parser has
// already accepted it, so this guards against a disagreement between the two.
void check_with_nix(Context& ctx, const std::string& path, const std::string& text)
{
  if (ctx.no_programs) return;
  auto nix = find_on_path("nix-instantiate", ctx.env.get("PATH"));
  if (!nix) return;
  auto r = run_capture({*nix, "--parse", "-"}, dir_name(path), text);
  if (!r.ok())
    throw config_error("refusing to write " + path +
                       ": nix-instantiate --parse rejects the edited file (please report this):\n" +
                       r.err);
}

const char* const k_home_module =
    "# Home Manager module of the microVM \"{name}\", created by microvm-here.\n"
    "# Per-VM user configuration goes here (packages, programs, dotfiles).\n"
    "{ ... }:\n"
    "{\n"
    "}\n";

std::string home_module(const std::string& name)
{
  std::string s = k_home_module;
  s.replace(s.find("{name}"), 6, name);
  return s;
}

bool git_intent_to_add(Context& ctx, const std::string& repo, const std::vector<std::string>& files)
{
  if (!path_exists(join_path(repo, ".git"))) return false;
  auto git = find_on_path("git", ctx.env.get("PATH"));
  if (!git) {
    ctx.warn("git is not on PATH: add the new files to " + repo +
             " with 'git add --intent-to-add' so the flake sees them");
    return false;
  }
  std::vector<std::string> argv{*git, "-C", repo, "add", "--intent-to-add", "--"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = run_capture(argv);
  if (!r.ok()) {
    ctx.warn("git add --intent-to-add failed in " + repo + ": " + r.err +
             "; a flake build will not see the new files until they are added");
    return false;
  }
  return true;
}

}  // namespace

LoadedProfiles load_profiles(Context& ctx)
{
  const Config& cfg = ctx.config();
  LoadedProfiles p;
  p.path = cfg.profiles_path();
  auto text = read_file_capped(p.path, k_profiles_limit);
  if (!text)
    throw config_error("profiles file " + p.path + " does not exist; check 'nixfiles' and " +
                       "'profiles' in " + (cfg.source.empty() ? "your config" : cfg.source) +
                       " (or pass --nixfiles DIR)");
  p.text = std::move(*text);
  p.file = parse_profiles(p.text, p.path);
  p.entries = p.file.needs_eval ? eval_profiles(ctx, p.path, *p.file.needs_eval) : p.file.entries;
  return p;
}

const ProfileEntry* find_profile(const LoadedProfiles& p, const std::string& name)
{
  for (const auto& e : p.entries)
    if (e.name == name) return &e;
  return nullptr;
}

std::string profiles_lock_path(const Context& ctx, const std::string& profiles_path)
{
  const std::string name = "profiles-" + sha256_hex(profiles_path).substr(0, 16) + ".lock";
  if (auto locks = private_lock_dir(ctx)) return *locks + "/" + name;
  // No private directory: lock the directory that holds the file; nothing is created there.
  const std::string dir = dir_name(profiles_path);
  make_dirs(dir, 0755);
  return dir;
}

std::optional<std::string> private_lock_dir(const Context& ctx)
{
  auto dir = private_files_dir(ctx.env.get("XDG_RUNTIME_DIR"), ctx.env.xdg_state_home());
  return dir ? private_subdir(*dir, "locks") : std::nullopt;
}

Registration register_profile(Context& ctx, const std::string& name, bool dry_run, bool exists_ok)
{
  const Config& cfg = ctx.config();
  Registration reg;
  reg.profiles_path = cfg.profiles_path();
  reg.home_file = join_path(join_path(cfg.vm_home_path(), name), "default.nix");

  FileLock lock(profiles_lock_path(ctx, reg.profiles_path), [&](long pid) {
    ctx.say("waiting for " + (pid > 0 ? "pid " + std::to_string(pid) : "another microvm-here") +
            ", which is editing " + reg.profiles_path);
  });
  LoadedProfiles p = load_profiles(ctx);
  for (const auto& e : p.entries) {
    if (e.name == name && exists_ok) {
      reg.existed = true;
      reg.profile = NewProfile{name, e.ip_address.value_or(""), e.tap_id.value_or(""),
                               e.mac.value_or(""), e.vsock_cid};
      return reg;
    }
    if (e.name == name)
      throw failure("profile '" + name + "' already exists in " + p.path +
                    (e.ip_address ? " (ipAddress " + *e.ip_address + ")" : "") +
                    "; nothing changed");
    if (lower(e.name) == lower(name))
      throw failure("VM name '" + name + "' differs only in case from the existing profile '" +
                    e.name + "' in " + p.path + "; use '" + e.name + "' or pick another name");
  }
  if (!p.file.editable)
    throw config_error("cannot add '" + name + "' to " + p.path +
                       ": its top level is not an attribute set literal" +
                       (p.file.needs_eval ? " (" + *p.file.needs_eval + ")" : "") +
                       "; add the entry by hand");
  bool with_vsock = std::any_of(p.entries.begin(), p.entries.end(),
                                [](const ProfileEntry& e) { return e.has_vsock_field; });
  // A VM removed from profiles.nix may still be installed and running: its values stay taken.
  std::vector<ProfileEntry> taken = p.entries;
  for (auto& e : values_held_without_profile(ctx, cfg, p.entries)) taken.push_back(std::move(e));
  Allocation a = allocate(taken, cfg.subnet, cfg.gateway, with_vsock,
                          cfg.source.empty() ? "your config" : cfg.source);
  reg.profile = NewProfile{name, a.ip.str(), a.tap_id, a.mac, a.vsock_cid};
  reg.old_text = p.text;
  reg.new_text = insert_profile(p.text, p.file, reg.profile);

  // Our own parser must read the result back with exactly one more entry.
  ProfilesFile check = parse_profiles(reg.new_text, p.path);
  if (!check.needs_eval && check.entries.size() != p.file.entries.size() + 1)
    throw failure("internal error: the edited " + p.path + " does not read back; nothing written");
  if (dry_run) {
    reg.home_created = !path_exists(reg.home_file);
    return reg;
  }
  check_with_nix(ctx, p.path, reg.new_text);

  // A writer killed under this lock may have left hidden temp files; nobody else writes here.
  remove_stale_temps(p.path);
  remove_stale_temps(reg.home_file);
  // The Home Manager file first, and known to git before the profile names it: the flake
  // imports it for every profile, so a crash at any point must leave a profile-less module
  // rather than a module-less (or untracked-module) profile.
  make_dirs(dir_name(reg.home_file));
  reg.home_created = create_file_exclusive(reg.home_file, home_module(name));
  reg.git_added = git_intent_to_add(ctx, cfg.nixfiles, {p.path, reg.home_file});
  write_file_atomic(p.path, reg.new_text);
  return reg;
}

namespace {

// The text of profiles.nix without NAME's entry, checked by our parser and by Nix; nullopt when
// there is no such entry. Throws (nothing written) when the entry cannot be cut out safely.
std::optional<std::string> text_without(Context& ctx, const LoadedProfiles& p,
                                        const std::string& name)
{
  if (!find_profile(p, name)) return std::nullopt;
  const auto native = std::find_if(p.file.entries.begin(), p.file.entries.end(),
                                   [&](const ProfileEntry& e) { return e.name == name; });
  if (!p.file.editable || native == p.file.entries.end() || native->spans.empty())
    throw config_error("cannot remove '" + name + "' from " + p.path +
                       ": it is not a literal top-level entry there" +
                       (p.file.needs_eval ? " (" + *p.file.needs_eval + ")" : "") +
                       "; remove the entry by hand");
  std::string new_text = remove_profile(p.text, p.file, name);
  // Our own parser must read the result back with exactly one entry less.
  ProfilesFile check = parse_profiles(new_text, p.path);
  if (check.entries.size() + 1 != p.file.entries.size() ||
      std::any_of(check.entries.begin(), check.entries.end(),
                  [&](const ProfileEntry& e) { return e.name == name; }))
    throw failure("internal error: the edited " + p.path + " does not read back; nothing written");
  check_with_nix(ctx, p.path, new_text);
  return new_text;
}

}  // namespace

void check_unregister(Context& ctx, const std::string& name)
{
  text_without(ctx, load_profiles(ctx), name);
}

Unregistration unregister_profile(Context& ctx, const std::string& name)
{
  const Config& cfg = ctx.config();
  Unregistration u;
  u.profiles_path = cfg.profiles_path();
  u.home_file = join_path(join_path(cfg.vm_home_path(), name), "default.nix");
  FileLock lock(profiles_lock_path(ctx, u.profiles_path), [&](long pid) {
    ctx.say("waiting for " + (pid > 0 ? "pid " + std::to_string(pid) : "another microvm-here") +
            ", which is editing " + u.profiles_path);
  });
  LoadedProfiles p = load_profiles(ctx);
  const auto new_text = text_without(ctx, p, name);
  if (!new_text) return u;
  u.had_profile = true;
  remove_stale_temps(p.path);
  write_file_atomic(p.path, *new_text);
  return u;
}

}  // namespace mvh
