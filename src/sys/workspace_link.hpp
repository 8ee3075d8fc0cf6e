#pragma once
// The workspace link <workspaces>/<name> -> repository, replaced atomically without ever
// following or deleting anything but our own symlink (HOST.md pitfall 6).
#include <optional>
#include <string>

namespace mvh {

enum class LinkKind { absent, symlink, empty_dir, nonempty_dir, file, other };

struct LinkInfo {
  LinkKind kind = LinkKind::absent;
  std::string target;  // for symlink: what it points to
  unsigned owner = 0;  // uid owning the entry itself (not what a symlink points to)
};

// The user a link is made for when root makes it (the sudo step).
struct LinkOwner {
  unsigned uid = 0;
  unsigned gid = 0;
  // microvm.nix's service user: its tmpfiles rule for a share makes an empty directory at the
  // link's path, which may be replaced (only while empty).
  std::optional<unsigned> service_uid;
};

// What dir/name is (never follows the final component). Throws Error(Exit::failure) when dir
// cannot be read.
LinkInfo inspect_link(const std::string& dir, const std::string& name);

// Makes dir/name a symlink to target: a new link under a temporary name, then an atomic
// exchange (or a no-replace rename when absent); an empty directory there is removed first.
// If what was there turns out not to be a symlink (a race), it is put back and
// Error(Exit::failure) is thrown. Files and non-empty directories are refused untouched. Nothing
// but a symlink or an empty directory is ever deleted; if another process keeps swapping the
// path, the error names where its object and the original one are.
void point_link(const std::string& dir, const std::string& name, const std::string& target);

// The same for root acting for `as` (the sudo step): like the group's sticky directory, only a
// symlink or empty directory of as.uid is replaced, besides an empty directory of
// as.service_uid and a root-owned symlink whose target nobody else can have staged
// (staging_risk); anything else is refused untouched, and the new link is owned by
// as.uid:as.gid. Throws Error(Exit::failure) naming the owner.
void point_link(const std::string& dir, const std::string& name, const std::string& target,
                const std::optional<LinkOwner>& as);

// Why the calling user cannot make dir/name (now `now`) a link without root, or nullopt when it
// can: dir is not writable, or it is sticky and what is there belongs to another user (e.g. the
// empty directory microvm.nix's tmpfiles rule makes for a share).
std::optional<std::string> needs_root_to_link(const std::string& dir, const std::string& name,
                                              const LinkInfo& now);
// What remove_own_link did.
enum class LinkRemoval { removed, absent, not_ours };

// Removes dir/name when it is a symlink owned by the caller (unregister): it is first renamed
// to a hidden name in dir, checked there, and put back when it turns out to be anything else
// (a race), so nothing but our own link is ever deleted. not_ours: a file, a directory or
// another user's link (left untouched). Throws Error(Exit::failure) when dir is not writable.
LinkRemoval remove_own_link(const std::string& dir, const std::string& name);

// The error text for a path that cannot become the link (file / non-empty dir / other).
std::string link_refusal(const std::string& path, LinkKind kind);

}  // namespace mvh
