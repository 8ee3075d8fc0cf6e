#include "sys/workspace_link.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pwd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/workspace_takeover.hpp"

namespace mvh {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd()
  {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int open_dir(const std::string& dir)
{
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw failure("cannot open the workspaces directory " + dir + ": " + std::strerror(errno));
  return fd;
}

bool dir_is_empty(int dfd, const std::string& name)
{
  int fd = ::openat(dfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return false;
  }
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

LinkInfo inspect_at(int dfd, const std::string& name)
{
  struct stat st {};
  if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    throw failure("cannot inspect " + name + ": " + std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    char buf[4096];
    ssize_t n = ::readlinkat(dfd, name.c_str(), buf, sizeof buf - 1);
    return {LinkKind::symlink, n > 0 ? std::string(buf, static_cast<size_t>(n)) : "", st.st_uid};
  }
  if (S_ISDIR(st.st_mode))
    return {dir_is_empty(dfd, name) ? LinkKind::empty_dir : LinkKind::nonempty_dir, "", st.st_uid};
  if (S_ISREG(st.st_mode)) return {LinkKind::file, "", st.st_uid};
  return {LinkKind::other, "", st.st_uid};
}

std::string user_label(unsigned uid)
{
  const passwd* pw = ::getpwuid(uid);
  return "uid " + std::to_string(uid) + (pw ? " (" + std::string(pw->pw_name) + ")" : "");
}

// Root acting for someone may take over only what that someone owns (the sticky rule the
// module's group lives by), an empty directory of microvm.nix's user (its tmpfiles rule makes
// one at the share's source), and a root-owned link (the old script's `sudo ln -sfn`) only when
// its target is a directory of that someone that nobody else can have put there: otherwise one
// user could re-point another's VM at their own tree.
bool may_replace(const LinkInfo& now, const std::optional<LinkOwner>& as)
{
  if (!as || now.kind == LinkKind::absent || now.owner == as->uid) return true;
  if (now.kind == LinkKind::empty_dir && as->service_uid && now.owner == *as->service_uid)
    return true;
  return now.owner == 0 && now.kind == LinkKind::symlink && !staging_risk(now.target, as->uid);
}

void check_owner(const std::string& path, const LinkInfo& now, const std::optional<LinkOwner>& as)
{
  if (may_replace(now, as)) return;
  const std::string remove =
      "remove it as root (rm " + path + " removes only the link), then run again";
  if (now.owner == 0 && now.kind == LinkKind::symlink)
    throw failure("workspace link " + path + " -> " + printable(now.target) +
                  " belongs to uid 0 (root), not to you (" + user_label(as->uid) +
                  "), and it is replaced for you only when it points at a directory of yours that "
                  "nobody else can have put there, but " +
                  staging_risk(now.target, as->uid).value_or("it changed meanwhile") +
                  "; it was left untouched. To let microvm-here link it, " + remove);
  std::string what = now.kind == LinkKind::symlink
                         ? "workspace link " + path + " -> " + printable(now.target)
                         : "workspace directory " + path;
  throw failure(what + " belongs to " + user_label(now.owner) + ", not to you (" +
                user_label(as->uid) + "); it was left untouched. Ask its owner to remove it, or " +
                remove);
}

int rename2(int dfd, const std::string& from, const std::string& to, unsigned flags)
{
  return static_cast<int>(::syscall(SYS_renameat2, dfd, from.c_str(), dfd, to.c_str(), flags));
}

bool refused(LinkKind k)
{
  return k == LinkKind::file || k == LinkKind::nonempty_dir || k == LinkKind::other;
}

// Moves what point_link found (now at tmp) back to name, where our new link is. When another
// process moved something to name meanwhile, nothing is deleted: both are kept and the error
// says where each one is.
void put_back(int d, const std::string& tmp, const std::string& name, const std::string& target,
              const std::string& dir)
{
  const std::string path = dir + "/" + name, tmp_path = dir + "/" + tmp;
  const std::string changed = "workspace path " + path +
                              " changed while microvm-here was replacing it (another process "
                              "is writing there): ";
  const std::string both_kept = changed +
                                "what was there is back, and what the other process put there "
                                "is now " +
                                tmp_path + "; nothing was deleted. Check both, then run again";
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (rename2(d, tmp, name, RENAME_EXCHANGE) == 0) {
      const LinkInfo ours = inspect_at(d, tmp);
      if (ours.kind == LinkKind::symlink && ours.target == target) {
        ::unlinkat(d, tmp.c_str(), 0);
        return;
      }
      throw failure(both_kept);
    }
    if (errno != ENOENT) break;
    if (rename2(d, tmp, name, RENAME_NOREPLACE) == 0) return;
  }
  throw failure(changed + "what was there is now " + tmp_path +
                "; nothing was deleted. Move it back by hand, then run again");
}

}  // namespace

std::string link_refusal(const std::string& path, LinkKind kind)
{
  const char* what = kind == LinkKind::file           ? "is a file"
                     : kind == LinkKind::nonempty_dir ? "is a directory with files in it"
                                                      : "is neither a symlink nor a directory";
  return "workspace path " + path + " " + what +
         ", not a link microvm-here made; it was left untouched. Move it away (it may hold "
         "your data), then run again";
}

std::optional<std::string> needs_root_to_link(const std::string& dir, const std::string& name,
                                              const LinkInfo& now)
{
  if (::geteuid() == 0) return std::nullopt;
  if (::access(dir.c_str(), W_OK) != 0) return dir + " is not writable by you";
  // In a sticky directory (the module's 1775) only an entry's owner (or root) may replace it.
  struct stat st {};
  if (now.kind != LinkKind::absent && now.owner != ::geteuid() && ::stat(dir.c_str(), &st) == 0 &&
      (st.st_mode & S_ISVTX) != 0)
    return dir + "/" + name + " belongs to uid " + std::to_string(now.owner) +
           ", and in the sticky " + dir + " only its owner or root may replace it";
  return std::nullopt;
}

LinkInfo inspect_link(const std::string& dir, const std::string& name)
{
  Fd dfd(open_dir(dir));
  return inspect_at(dfd.get(), name);
}

void point_link(const std::string& dir, const std::string& name, const std::string& target)
{
  point_link(dir, name, target, std::nullopt);
}

void point_link(const std::string& dir, const std::string& name, const std::string& target,
                const std::optional<LinkOwner>& as)
{
  Fd dfd(open_dir(dir));
  const int d = dfd.get();
  const std::string path = dir + "/" + name;
  LinkInfo now = inspect_at(d, name);
  if (now.kind == LinkKind::symlink && now.target == target) return;
  if (now.kind == LinkKind::nonempty_dir)
    if (auto old_layout = old_layout_refusal(d, name, path)) throw failure(*old_layout);
  if (refused(now.kind)) throw failure(link_refusal(path, now.kind));
  check_owner(path, now, as);
  // rmdir removes only an empty directory, whatever was swapped in since we looked.
  if (now.kind == LinkKind::empty_dir && ::unlinkat(d, name.c_str(), AT_REMOVEDIR) != 0 &&
      errno != ENOENT) {
    const int e = errno;
    now = inspect_at(d, name);
    if (refused(now.kind)) throw failure(link_refusal(path, now.kind));
    if (now.kind != LinkKind::symlink && now.kind != LinkKind::empty_dir)
      throw failure("cannot replace the empty directory " + path + ": " + std::strerror(e));
  }

  std::random_device rd;
  const std::string tmp = "." + name + ".mvh-" + std::to_string(rd() % 1000000000u);
  if (::symlinkat(target.c_str(), d, tmp.c_str()) != 0)
    throw failure("cannot create a link in " + dir + ": " + std::strerror(errno));
  if (as && ::fchownat(d, tmp.c_str(), as->uid, as->gid, AT_SYMLINK_NOFOLLOW) != 0) {
    int e = errno;
    ::unlinkat(d, tmp.c_str(), 0);
    throw failure("cannot give the new link in " + dir + " to " + user_label(as->uid) + ": " +
                  std::strerror(e));
  }
  // Absent: a rename that refuses to replace anything. Present: an exchange, so whatever is at
  // the path is never destroyed before we have checked it is a symlink. Another process may
  // remove or add the path in between: a few tries, then give up.
  for (int attempt = 0;; ++attempt) {
    if (rename2(d, tmp, name, RENAME_NOREPLACE) == 0) return;
    int e = errno;
    if (e == EEXIST) {
      if (rename2(d, tmp, name, RENAME_EXCHANGE) == 0) break;
      e = errno;
    }
    if (e != ENOENT || attempt == 2) {
      ::unlinkat(d, tmp.c_str(), 0);
      throw failure("cannot replace " + path + ": " + std::strerror(e));
    }
  }
  // tmp now holds what was at the path: only a symlink or an empty directory may go, and when
  // acting for someone only one that person or root owns (check_owner's rule).
  const LinkInfo old = inspect_at(d, tmp);
  const bool owner_ok = may_replace(old, as);
  if (owner_ok && old.kind == LinkKind::symlink) {
    if (::unlinkat(d, tmp.c_str(), 0) != 0)
      throw failure("cannot remove the old link " + dir + "/" + tmp + ": " + std::strerror(errno));
    return;
  }
  if (owner_ok && old.kind == LinkKind::empty_dir && ::unlinkat(d, tmp.c_str(), AT_REMOVEDIR) == 0)
    return;
  put_back(d, tmp, name, target, dir);
  if (!owner_ok && (old.kind == LinkKind::symlink || old.kind == LinkKind::empty_dir))
    check_owner(path, old, as);
  // An empty directory that could not be removed has gained files meanwhile.
  throw failure(
      link_refusal(path, old.kind == LinkKind::empty_dir ? LinkKind::nonempty_dir : old.kind));
}

LinkRemoval remove_own_link(const std::string& dir, const std::string& name)
{
  Fd dfd(open_dir(dir));
  const int d = dfd.get();
  const LinkInfo now = inspect_at(d, name);
  if (now.kind == LinkKind::absent) return LinkRemoval::absent;
  if (now.kind != LinkKind::symlink || now.owner != ::geteuid()) return LinkRemoval::not_ours;
  std::random_device rd;
  const std::string tmp = "." + name + ".mvh-" + std::to_string(rd() % 1000000000u);
  if (rename2(d, name, tmp, RENAME_NOREPLACE) != 0) {
    if (errno == ENOENT) return LinkRemoval::absent;
    throw failure("cannot remove the workspace link " + dir + "/" + name + ": " +
                  std::strerror(errno));
  }
  const LinkInfo moved = inspect_at(d, tmp);
  if (moved.kind == LinkKind::symlink && moved.owner == ::geteuid() &&
      ::unlinkat(d, tmp.c_str(), 0) == 0)
    return LinkRemoval::removed;
  // Swapped meanwhile: put it back where it was, never delete it.
  if (rename2(d, tmp, name, RENAME_NOREPLACE) != 0)
    throw failure("the workspace link " + dir + "/" + name + " changed while being removed; " +
                  "what was there is now " + dir + "/" + tmp);
  return LinkRemoval::not_ours;
}

}  // namespace mvh
