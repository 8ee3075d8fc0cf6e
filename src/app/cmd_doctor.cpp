// `microvm-here doctor`: one line per check, "ok   <what>", "warn <what>: <cause>; fix: <how>",
// "FAIL <what>: <cause>; fix: <how>" or "skip <what>: <why>"; exit 1 when any check failed.
// It runs no process: everything is read from files, PATH and the environment.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/name_store.hpp"
#include "app/rebuild.hpp"
#include "app/trust_store.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/profiles.hpp"
#include "core/shell_quote.hpp"
#include "core/vm_name.hpp"
#include "sys/capped_read.hpp"
#include "sys/fs.hpp"
#include "sys/repo_root.hpp"
#include "sys/ssh_config.hpp"

namespace mvh {
namespace {

std::string first_line(std::string_view s)
{
  return std::string(s.substr(0, s.find('\n')));
}

class Report {
 public:
  void ok(const std::string& what) { text_ += "ok   " + what + "\n"; }
  void warn(const std::string& what, const std::string& cause, const std::string& fix)
  {
    text_ += "warn " + what + ": " + cause + "; fix: " + fix + "\n";
  }
  void fail(const std::string& what, const std::string& cause, const std::string& fix)
  {
    text_ += "FAIL " + what + ": " + cause + "; fix: " + fix + "\n";
    failed_ = true;
  }
  void detail(const std::string& line) { text_ += "     " + line + "\n"; }
  void skip(const std::string& what, const std::string& why)
  {
    text_ += "skip " + what + ": " + why + "\n";
  }
  const std::string& text() const { return text_; }
  bool failed() const { return failed_; }

 private:
  std::string text_;
  bool failed_ = false;
};

// The repository of the current directory, if there is one.
std::optional<RepoRoot> repo_here(const Context& ctx)
{
  if (ctx.env.cwd.empty()) return std::nullopt;
  try {
    RepoRoot root = find_repo_root(ctx.env.cwd, false, ctx.env.home());
    if (root.in_repo) return root;
  } catch (const Error&) {
  }
  return std::nullopt;
}

// The file to fix: the one that set key (the layers differ), else the user's.
std::string where(const Config& cfg, std::string_view key = {})
{
  if (auto o = cfg.origin.find(key); !key.empty() && o != cfg.origin.end()) {
    const std::string at = o->second.substr(0, o->second.find(" ("));
    if (auto colon = at.rfind(':'); colon != std::string::npos) return at.substr(0, colon);
  }
  return cfg.source.empty() ? std::string("your config") : cfg.source;
}

// Two profiles with one ipAddress, tapId, mac or vsockCid fight over it; an address outside
// the subnet is not reachable through the host's bridge.
void check_profile_values(const Config& cfg, const std::string& path,
                          const std::vector<ProfileEntry>& entries, Report& r)
{
  std::map<std::string, std::string> first;  // "field value" -> the profile that has it
  for (const auto& e : entries) {
    std::string mac = e.mac.value_or("");
    std::transform(mac.begin(), mac.end(), mac.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::pair<const char*, std::optional<std::string>> values[] = {
        {"ipAddress", e.ip_address},
        {"tapId", e.tap_id},
        {"mac", e.mac ? std::optional(mac) : std::nullopt},
        {"vsockCid", e.vsock_cid ? std::optional(std::to_string(*e.vsock_cid)) : std::nullopt}};
    for (const auto& [field, value] : values) {
      if (!value) continue;
      auto [it, fresh] = first.emplace(std::string(field) + " " + *value, e.name);
      if (!fresh)
        r.fail("profiles " + path,
               std::string(field) + " " + *value + " is used by both '" + it->second + "' and '" +
                   e.name + "'",
               "give '" + e.name + "' its own " + field);
    }
    if (e.ip_address) {
      auto ip = Ipv4::parse(*e.ip_address);
      if (!ip || !cfg.subnet.contains(*ip))
        r.fail("profiles " + path,
               "'" + e.name + "' has ipAddress " + *e.ip_address + " outside the subnet " +
                   cfg.subnet.str(),
               "use an address inside " + cfg.subnet.str() + " or change 'subnet' in " +
                   where(cfg, "subnet"));
    }
  }
}

void check_rebuild(Context& ctx, const Config& cfg, Report& r)
{
  if (auto problem = rebuild_program_problem(ctx))
    r.fail("rebuild", *problem,
           "install it or set 'rebuild' in " + where(cfg, "rebuild") +
               " (a run that needs a rebuild stops "
               "before changing anything)");
  else
    r.ok("rebuild " + shell_join(cfg.rebuild));
}

// Returns the profile names when profiles.nix parses natively.
std::optional<std::vector<std::string>> check_profiles(Context& ctx, const Config& cfg, Report& r)
{
  const std::string path = cfg.profiles_path();
  std::optional<std::string> text;
  try {
    text = read_file_capped(path, k_profiles_limit);
  } catch (const Error& e) {
    r.fail("profiles " + path, first_line(e.what()),
           "check 'nixfiles' and 'profiles' in " + where(cfg, "nixfiles"));
    return std::nullopt;
  }
  if (!text) {
    r.fail("profiles " + path, "does not exist",
           "check 'nixfiles' and 'profiles' in " + where(cfg, "nixfiles") +
               " (or pass --nixfiles DIR)");
    return std::nullopt;
  }
  ProfilesFile f;
  try {
    f = parse_profiles(*text, path);
  } catch (const Error& e) {
    r.fail("profiles", first_line(e.what()), "correct the file at that line");
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& e : f.entries) names.push_back(e.name);
  if (f.needs_eval) {
    const bool nix = find_on_path("nix-instantiate", ctx.env.get("PATH")).has_value();
    const std::string cause = *f.needs_eval + " is not a literal, so the shell hook cannot see " +
                              "these profiles" + (nix ? "" : " and nix-instantiate is not on PATH");
    if (nix)
      r.warn("profiles " + path, cause, "write the values as plain literals");
    else
      r.fail("profiles " + path, cause, "install Nix (Debian: nix-bin) or write literals");
    return names;
  }
  r.ok("profiles " + path + " (" + std::to_string(names.size()) +
       (names.size() == 1 ? " profile)" : " profiles)"));
  check_profile_values(cfg, path, f.entries, r);
  return names;
}

void check_workspaces(Context& ctx, const Config& cfg, Report& r)
{
  const std::string& dir = cfg.workspaces;
  const auto sudo = find_on_path("sudo", ctx.env.get("PATH"));
  if (!is_directory(dir))
    r.fail("workspaces " + dir, "does not exist",
           "create it (the NixOS module does) or set 'workspaces' in " + where(cfg, "workspaces"));
  else if (::geteuid() == 0 || ::access(dir.c_str(), W_OK) == 0)
    r.ok("workspaces " + dir + " (writable)");
  else if (sudo)
    r.ok("workspaces " + dir + " (not writable by you; sudo points the links)");
  else
    r.fail("workspaces " + dir, "not writable by you and sudo is not on PATH",
           "install sudo or make the directory writable for you");
}

void check_privileges(Context& ctx, Report& r)
{
  if (::geteuid() == 0)
    r.ok("running as root: no sudo needed");
  else if (auto sudo = find_on_path("sudo", ctx.env.get("PATH")))
    r.ok("sudo " + *sudo);
  else
    r.warn("sudo", "not on PATH, so only polkit can allow starting VMs",
           "install sudo (Debian: sudo)");
  if (is_directory("/usr/share/polkit-1") || find_on_path("pkcheck", ctx.env.get("PATH")))
    r.ok("polkit is installed (its rules decide whether starting a VM needs sudo)");
  else
    r.warn("polkit", "not installed, so starting a VM always goes through sudo",
           "nothing, unless you want password-less starts (Debian: polkitd)");
}

void check_ssh(Context& ctx, const Config& cfg,
               const std::optional<std::vector<std::string>>& names, Report& r)
{
  const std::string prog = cfg.ssh.empty() ? "ssh" : cfg.ssh.front();
  if (auto p = find_on_path(prog, ctx.env.get("PATH")))
    r.ok("ssh " + *p);
  else
    r.fail(
        "ssh", "'" + prog + "' is not on PATH",
        "install the OpenSSH client (Debian: openssh-client) or set 'ssh' in " + where(cfg, "ssh"));
  auto root = repo_here(ctx);
  std::optional<std::string> name;
  try {
    if (root) name = read_name_book(ctx.env).name_of(root->path);
  } catch (const Error&) {
  }
  if (root && !name) name = derive_vm_name(base_name(root->path));
  if (!name)
    return r.skip("ssh alias", "'" + printable(ctx.env.cwd) + "' is not inside a git repository");
  const std::string alias = cfg.alias_for(*name);
  const bool registered = names && std::find(names->begin(), names->end(), *name) != names->end();
  auto t = resolve_ssh_alias(alias, ctx.env.home() + "/.ssh");
  if (t)
    r.ok("ssh alias " + alias + " -> " + t->host + ":" + std::to_string(t->port));
  else
    r.warn("ssh alias " + alias,
           "no 'Host " + alias + "' with a HostName in ~/.ssh/config (or libssh is missing)" +
               (registered ? "" : "; the VM '" + *name + "' is not registered yet either"),
           "add 'Host " + alias + "' with 'HostName <its ipAddress>' (the NixOS module can)");
}

void check_hook(Context& ctx, const Config* cfg, Report& r)
{
  const std::string parent = std::to_string(::getppid());
  std::string shell = base_name(ctx.env.get("SHELL", "zsh"));
  if (auto comm = read_file("/proc/" + parent + "/comm")) {
    std::string c = first_line(*comm);
    if (c == "zsh" || c == "bash" || c == "fish") shell = c;
  }
  const std::string line =
      shell == "fish" ? "'microvm-here hook fish | source' to "
                        "~/.config/fish/config.fish"
                      : "'eval \"$(microvm-here hook " + shell + ")\"' to ~/." + shell + "rc";
  const std::string marker = ctx.env.get("MICROVM_HERE_HOOK");
  if (marker.empty())
    r.warn("shell hook", "not installed in this shell", "add " + line);
  else if (ctx.env.get("MICROVM_HERE_HOOK_PID") != parent)
    r.warn("shell hook",
           "installed in a parent " + marker + " (pid " +
               ctx.env.get("MICROVM_HERE_HOOK_PID", "?") + "), not in this shell",
           "add " + line);
  else
    r.ok("shell hook installed (" + marker + ")");
  if (!cfg || cfg->hook == HookMode::status) return;
  const char* mode = cfg->hook == HookMode::start ? "start" : "enter";
  auto root = repo_here(ctx);
  if (!root) return;
  if (is_trusted(ctx.env, root->path))
    r.ok("hook = \"" + std::string(mode) + "\" acts in " + root->path);
  else
    r.warn("hook = \"" + std::string(mode) + "\"",
           root->path + " is not trusted, so the hook only sets variables there",
           "microvm-here trust " + root->path);
}

}  // namespace

int cmd_doctor(Context& ctx)
{
  Report r;
  const Config* cfg = nullptr;
  try {
    cfg = &ctx.config();
    std::string files;
    for (const auto& f : cfg->files) files = f + (files.empty() ? "" : " over " + files);
    r.ok("config " + (files.empty() ? std::string("(no file: the defaults)") : files));
    // Each effective value and where it comes from, as the layers resolved it.
    for (std::string_view key : config_keys()) {
      auto o = cfg->origin.find(key);
      r.detail(std::string(key) + " = " + config_value_text(*cfg, key) + "  (" +
               (o == cfg->origin.end() ? std::string("default") : o->second) + ")");
    }
  } catch (const Error& e) {
    r.fail("config", first_line(e.what()), "correct the file (README \"Configuration\")");
  }
  if (cfg) {
    if (is_directory(cfg->nixfiles))
      r.ok("nixfiles " + cfg->nixfiles);
    else
      r.fail("nixfiles " + cfg->nixfiles, "no such directory",
             "set 'nixfiles' in " + where(*cfg, "nixfiles") + " or pass --nixfiles DIR");
    check_rebuild(ctx, *cfg, r);
    auto names = check_profiles(ctx, *cfg, r);
    check_workspaces(ctx, *cfg, r);
    check_privileges(ctx, r);
    check_ssh(ctx, *cfg, names, r);
  } else {
    r.skip("nixfiles, profiles, workspaces, ssh", "they depend on the config");
    check_privileges(ctx, r);
  }
  check_hook(ctx, cfg, r);
  ctx.print(printable(r.text(), Keep::layout));  // paths in it were not all escaped
  return r.failed() ? 1 : 0;
}

}  // namespace mvh
