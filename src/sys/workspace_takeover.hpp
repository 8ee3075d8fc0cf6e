#pragma once
// What the sudo step may take over at <workspaces>/<name> besides the caller's own link, and how
// to tell the old mount-point layout apart from data (README "Privileges").
#include <optional>
#include <string>

namespace mvh {

// Why a root-owned link's target cannot count as the caller's own; nullopt when it can. Walked
// from / without following anything: every directory on the way belongs to root or to uid and
// neither group nor others may write it (ACL grants are capped by the group bits, so they count
// too), and the last one belongs to uid. Only then can nobody else have put it there.
std::optional<std::string> staging_risk(const std::string& target, unsigned uid);

// When dfd/name is the old layout (a root-owned directory holding only per-repository mount
// points: empty directories or mounted ones), the whole refusal: what was found and the commands
// that clean it up; nullopt otherwise. Reads only dfd/name's own entries, never a mounted tree.
std::optional<std::string> old_layout_refusal(int dfd, const std::string& name,
                                              const std::string& path);

}  // namespace mvh
