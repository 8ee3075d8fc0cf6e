#pragma once
// The default command's decisions about names and workspaces, made before anything is touched
// (README "VM names"): which VM a NAME or a repository means, whether its workspace link may
// change, and whether a restart would end someone's session.
#include <cstdint>
#include <string>

#include "app/target.hpp"

namespace mvh {

struct Context;
struct LoadedProfiles;

// Settles t for `microvm-here [NAME]`:
// - a NAME must be a registered profile ("no VM named X; ..."); without --here its workspace
//   stays what it is (t.repo_root becomes the link's target), with --here it becomes this
//   repository (and NAME is remembered for it), and a directory outside any repository (or
//   $HOME's) only with --share-any-dir;
// - a repository's name must be its own: when the derived name's workspace (or the name book)
//   belongs to another existing repository, stop (exit 2) offering a free name, or with
//   --new-name take it; the name is remembered for the repository (not with dry_run).
// Throws Error(Exit::usage) with the message and the fix; changes nothing but the name book.
void settle_up_target(Context& ctx, Target& t, const LoadedProfiles& profiles, bool dry_run);

// --restart of a VM with live SSH sessions (ESTABLISHED connections from this machine to
// host:port) ends them: asks on a terminal, else needs --force. Throws Error(Exit::usage) when
// refused.
void check_restart_sessions(Context& ctx, const std::string& name, const std::string& host,
                            std::uint16_t port);

}  // namespace mvh
