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

// Root acting for someone may take over only what that someone or root owns (the sticky rule).
void check_owner(const std::string& path, const LinkInfo& now, const std::optional<LinkOwner>& as)
{
  if (!as || now.owner == 0 || now.owner == as->uid) return;
  std::string what = now.kind == LinkKind::symlink ? "workspace link " + path + " -> " + now.target
                                                   : "workspace directory " + path;
  throw failure(what + " belongs to " + user_label(now.owner) + ", not to you (" +
                user_label(as->uid) +
                "); it was left untouched. Ask its owner to remove it, "
                "or remove it as root (rm " +
                path + " removes only the link), then run again");
}

int rename2(int dfd, const std::string& from, const std::string& to, unsigned flags)
{
  return static_cast<int>(::syscall(SYS_renameat2, dfd, from.c_str(), dfd, to.c_str(), flags));
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
  const std::string path = dir + "/" + name;
  LinkInfo now = inspect_at(dfd.get(), name);
  if (now.kind == LinkKind::symlink && now.target == target) return;
  if (now.kind == LinkKind::file || now.kind == LinkKind::nonempty_dir ||
      now.kind == LinkKind::other)
    throw failure(link_refusal(path, now.kind));
  check_owner(path, now, as);
  if (now.kind == LinkKind::empty_dir && ::unlinkat(dfd.get(), name.c_str(), AT_REMOVEDIR) != 0)
    throw failure("cannot replace the empty directory " + path + ": " + std::strerror(errno));

  std::random_device rd;
  const std::string tmp = "." + name + ".mvh-" + std::to_string(rd() % 1000000000u);
  if (::symlinkat(target.c_str(), dfd.get(), tmp.c_str()) != 0)
    throw failure("cannot create a link in " + dir + ": " + std::strerror(errno));
  if (as && ::fchownat(dfd.get(), tmp.c_str(), as->uid, as->gid, AT_SYMLINK_NOFOLLOW) != 0) {
    int e = errno;
    ::unlinkat(dfd.get(), tmp.c_str(), 0);
    throw failure("cannot give the new link in " + dir + " to " + user_label(as->uid) + ": " +
                  std::strerror(e));
  }
  // Absent: a rename that refuses to replace anything. Present: an exchange, so whatever is at
  // the path is never destroyed before we have checked it is a symlink.
  if (rename2(dfd.get(), tmp, name, RENAME_NOREPLACE) == 0) return;
  if (errno != EEXIST) {
    int e = errno;
    ::unlinkat(dfd.get(), tmp.c_str(), 0);
    throw failure("cannot create " + path + ": " + std::strerror(e));
  }
  if (rename2(dfd.get(), tmp, name, RENAME_EXCHANGE) != 0) {
    int e = errno;
    ::unlinkat(dfd.get(), tmp.c_str(), 0);
    throw failure("cannot replace " + path + ": " + std::strerror(e));
  }
  LinkInfo old = inspect_at(dfd.get(), tmp);
  if (old.kind != LinkKind::symlink || (as && old.owner != 0 && old.owner != as->uid)) {
    // Something else appeared between our check and the exchange: put it back untouched.
    rename2(dfd.get(), tmp, name, RENAME_EXCHANGE);
    ::unlinkat(dfd.get(), tmp.c_str(), 0);
    if (old.kind != LinkKind::symlink) throw failure(link_refusal(path, old.kind));
    check_owner(path, old, as);
  }
  ::unlinkat(dfd.get(), tmp.c_str(), 0);  // the old symlink itself, never what it points to
}

}  // namespace mvh
