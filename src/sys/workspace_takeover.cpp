#include "sys/workspace_takeover.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "core/shell_quote.hpp"

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

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

// Why the directory at (open as fd) lets someone other than root and uid change its entries.
std::optional<std::string> ancestor_risk(int fd, const std::string& at, unsigned uid)
{
  struct stat st {};
  if (::fstat(fd, &st) != 0) return "cannot inspect " + at + ": " + std::strerror(errno);
  if (st.st_uid != 0 && st.st_uid != uid)
    return at + " belongs to uid " + std::to_string(st.st_uid) + ", neither to you nor to root";
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return at + " is writable by others";
  return std::nullopt;
}

// A sticky directory (like /tmp) writable by others, owned by root or uid: an entry in it that
// root owns cannot have been put there, renamed or removed by anyone but root.
bool sticky_shared(int fd, unsigned uid)
{
  struct stat st {};
  return ::fstat(fd, &st) == 0 && (st.st_uid == 0 || st.st_uid == uid) &&
         (st.st_mode & S_ISVTX) != 0;
}

bool owned_by_root(int fd)
{
  struct stat st {};
  return ::fstat(fd, &st) == 0 && st.st_uid == 0;
}

std::string open_failure(int parent, const std::string& comp, const std::string& at, int e)
{
  struct stat st {};
  if (::fstatat(parent, comp.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode)) return at + " is a symlink";
    if (!S_ISDIR(st.st_mode)) return at + " is not a directory";
  }
  if (e == ENOENT) return at + " does not exist";
  return "cannot open " + at + ": " + std::strerror(e);
}

struct Entry {
  std::string path;
  bool mounted = false;
};

// dir/name is a mount point: statx says so, or (older kernels) it lives on another device.
bool is_mount_root(int dfd, const char* name, dev_t parent_dev)
{
  struct statx sx {};
  if (::statx(dfd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0) return false;
  if ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0)
    return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
  return ::makedev(sx.stx_dev_major, sx.stx_dev_minor) != parent_dev;
}

bool empty_dir_at(int dfd, const char* name)
{
  int fd = ::openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return false;
  }
  bool empty = true;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
  ::closedir(d);
  return empty;
}

// The mount points in the old layout's directory (open as fd), or nullopt when anything else is
// there: a file, a symlink, a directory with files that is not mounted, too many entries.
std::optional<std::vector<Entry>> mount_points(int fd, const std::string& path)
{
  struct stat self {};
  if (::fstat(fd, &self) != 0 || self.st_uid != 0) return std::nullopt;
  DIR* d = ::fdopendir(::dup(fd));
  if (!d) return std::nullopt;
  std::vector<Entry> out;
  bool ok = true;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    struct stat st {};
    if (out.size() >= 64 || ::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(st.st_mode)) {
      ok = false;
      break;
    }
    const bool mounted = is_mount_root(fd, e->d_name, self.st_dev);
    if (!mounted && !empty_dir_at(fd, e->d_name)) {
      ok = false;
      break;
    }
    out.push_back({path + "/" + e->d_name, mounted});
  }
  ::closedir(d);
  if (!ok || out.empty()) return std::nullopt;
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
  return out;
}

}  // namespace

std::optional<std::string> staging_risk(const std::string& target, unsigned uid)
{
  if (target.empty() || target.front() != '/') return target + " is not an absolute path";
  std::vector<std::unique_ptr<Fd>> held;  // every directory on the way stays open: no reopening
  held.push_back(std::make_unique<Fd>(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)));
  if (held.back()->get() < 0) return std::string("cannot open /: ") + std::strerror(errno);
  std::string at;
  for (size_t pos = 1; pos <= target.size();) {
    const int parent = held.back()->get();
    auto risk = ancestor_risk(parent, at.empty() ? "/" : at, uid);
    if (risk && !sticky_shared(parent, uid)) return risk;
    const size_t end = std::min(target.find('/', pos), target.size());
    const std::string comp = target.substr(pos, end - pos);
    if (comp.empty() || comp == "." || comp == "..")
      return target + " is not canonical (it has '.', '..' or '//')";
    at += "/" + comp;
    const int next =
        ::openat(parent, comp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int e = errno;
    if (next < 0) return risk ? *risk : open_failure(parent, comp, at, e);
    held.push_back(std::make_unique<Fd>(next));
    if (risk && !owned_by_root(next)) return risk;  // only root's entries of a shared dir
    pos = end + 1;
  }
  struct stat st {};
  if (::fstat(held.back()->get(), &st) != 0)
    return "cannot inspect " + target + ": " + std::strerror(errno);
  if (st.st_uid != uid)
    return target + " belongs to uid " + std::to_string(st.st_uid) + ", not to you";
  return std::nullopt;
}

std::optional<std::string> old_layout_refusal(int dfd, const std::string& name,
                                              const std::string& path)
{
  Fd fd(::openat(dfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  const auto points = mount_points(fd.get(), path);
  if (!points) return std::nullopt;
  std::string found, umount, rmdir;
  for (const Entry& e : *points) {
    found += (found.empty() ? "" : ", ") + e.path + (e.mounted ? " (mounted)" : " (empty)");
    if (e.mounted) umount += " " + shell_quote(e.path);
    rmdir += " " + shell_quote(e.path);
  }
  const std::string cmds = (umount.empty() ? "" : "umount" + umount + " && ") + "rmdir" + rmdir +
                           " " + shell_quote(path);
  return "workspace path " + path +
         " is the old layout of per-repository mount points: a root-owned directory holding " +
         found +
         "; microvm-here now makes it a link to the repository itself, and changed nothing. "
         "Stop the VM if it runs, clean up as root with: " +
         cmds + " (rmdir removes only empty directories); then run again";
}

}  // namespace mvh
