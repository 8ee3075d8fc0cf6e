#include "app/up_target.hpp"

#include <cstdio>

#include "app/context.hpp"
#include "app/name_store.hpp"
#include "app/profile_store.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/fs.hpp"
#include "sys/repo_root.hpp"
#include "sys/tcp_sessions.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

constexpr std::size_t k_max_name = 63;

std::optional<LinkInfo> link_of(Context& ctx, const std::string& name)
{
  const std::string& dir = ctx.config().workspaces;
  if (!is_directory(dir)) return std::nullopt;  // the full path says how to fix that
  return inspect_link(dir, name);
}

std::optional<std::string> owner_of(Context& ctx, const NameBook& book, const std::string& name,
                                    const std::string& root)
{
  return repo_served_by(ctx.config().workspaces, book, name, root);
}

// The first of NAME-2, NAME-3, ... that no profile, workspace or other repository uses.
std::string free_name(Context& ctx, const NameBook& book, const LoadedProfiles& profiles,
                      const std::string& base, const std::string& root)
{
  for (int n = 2;; ++n) {
    const std::string suffix = "-" + std::to_string(n);
    std::string stem = base.substr(0, k_max_name - suffix.size());
    while (!stem.empty() && (stem.back() == '-' || stem.back() == '_')) stem.pop_back();
    const std::string candidate = stem + suffix;
    if (find_profile(profiles, candidate) || owner_of(ctx, book, candidate, root)) continue;
    auto link = link_of(ctx, candidate);
    if (link && link->kind != LinkKind::absent &&
        !(link->kind == LinkKind::symlink && link->target == root))
      continue;
    return candidate;
  }
}

void settle_named(Context& ctx, Target& t, const LoadedProfiles& profiles, bool dry_run)
{
  if (!find_profile(profiles, t.name))
    throw usage_error("no VM named '" + t.name + "'; 'microvm-here register " + t.name +
                      "' creates one");
  if (!ctx.args.has("here")) {
    // A NAME means "enter that VM": its workspace is whatever it already is.
    auto link = link_of(ctx, t.name);
    if (!link || link->kind != LinkKind::symlink)
      throw usage_error("VM '" + t.name + "' has no workspace yet; to share this repository " +
                        "with it: microvm-here --here " + t.name);
    t.repo_root = link->target;
    return;
  }
  if (t.in_repo) {
    // Shared on purpose: this repository's later runs (and its hook) mean this VM too.
    if (!dry_run && t.repo_root.find('\n') == std::string::npos) t.to_remember = true;
    return;
  }
  if (!ctx.args.has("share-any-dir"))
    throw usage_error(
        "--here would share '" + printable(t.repo_root) + "' with VM '" + t.name +
        "', but it is not inside a git repository" +
        (t.home_repo ? " (the repository at your home directory does not count)" : "") +
        "; add --share-any-dir to share it anyway");
  if (t.home_repo) t.repo_root = find_repo_root(ctx.env.cwd).path;
}

}  // namespace

void settle_up_target(Context& ctx, Target& t, const LoadedProfiles& profiles, bool dry_run)
{
  if (t.explicit_name) return settle_named(ctx, t, profiles, dry_run);
  if (t.remembered) return;
  NameBook book = read_name_book(ctx.env);
  if (auto owner = owner_of(ctx, book, t.name, t.repo_root)) {
    const std::string mine = free_name(ctx, book, profiles, t.name, t.repo_root);
    if (!ctx.args.has("new-name"))
      throw usage_error("VM '" + t.name + "' already serves " + printable(*owner) +
                        ", another repository with the same name; nothing was changed. Give " +
                        printable(t.repo_root) + " a VM of its own: microvm-here --new-name " +
                        "(makes '" + mine + "' and remembers it for this repository), or " +
                        "share '" + t.name + "' on purpose: microvm-here --here " + t.name);
    ctx.say("'" + t.name + "' serves " + printable(*owner) + "; this repository's VM is '" + mine +
            "'");
    t.name = mine;
  }
  // A root with a newline cannot be a line of the book: its name stays derived (and checked).
  if (dry_run || t.repo_root.find('\n') != std::string::npos) return;
  t.to_remember = true;
  t.remembered = true;
}

void check_restart_sessions(Context& ctx, const std::string& name, const std::string& host,
                            std::uint16_t port)
{
  const int n = established_connections_to(host, port);
  if (n == 0 || ctx.args.has("force")) return;
  const std::string what = "VM '" + name + "' has " + std::to_string(n) + " live SSH session" +
                           (n == 1 ? "" : "s") + " (connections to " + host + ":" +
                           std::to_string(port) + "); --restart ends " + (n == 1 ? "it" : "them");
  if (ctx.env.stdin_tty && ctx.env.stderr_tty) {
    std::fprintf(ctx.err, "microvm-here: %s. Restart anyway? [y/N] ", what.c_str());
    std::fflush(ctx.err);
    char answer[16] = {};
    if (std::fgets(answer, sizeof answer, stdin) && (answer[0] == 'y' || answer[0] == 'Y')) return;
    throw usage_error("not restarted; nothing was changed");
  }
  throw usage_error(what + "; nothing was changed. Add --force to restart anyway");
}

}  // namespace mvh
