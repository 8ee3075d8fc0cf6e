#include "sys/private_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "sys/fs.hpp"

namespace mvh {
namespace {

// An open directory descriptor, closed on scope exit.
struct DirFd {
  int fd = -1;
  explicit DirFd(int f) : fd(f) {}
  ~DirFd()
  {
    if (fd >= 0) ::close(fd);
  }
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
};

// True when fd is a directory of the effective user with none of the bits in forbidden.
bool owned_dir(int fd, mode_t forbidden)
{
  struct stat st {};
  return fd >= 0 && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
         (st.st_mode & forbidden) == 0;
}

int open_dir_at(int at, const char* path)
{
  return ::openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

// name in the directory parent (created 0700 when missing), when private.
bool private_child(int parent, const std::string& name)
{
  if (::mkdirat(parent, name.c_str(), 0700) != 0 && errno != EEXIST) return false;
  DirFd child(open_dir_at(parent, name.c_str()));
  return owned_dir(child.fd, S_IRWXG | S_IRWXO);
}

std::optional<std::string> checked(const std::string& base, mode_t base_forbidden)
{
  if (base.empty() || base.front() != '/') return std::nullopt;
  DirFd d(open_dir_at(AT_FDCWD, base.c_str()));
  if (!owned_dir(d.fd, base_forbidden) || !private_child(d.fd, "microvm-here")) return std::nullopt;
  return base + "/microvm-here";
}

}  // namespace

std::optional<std::string> private_runtime_dir(const std::string& xdg_runtime_dir)
{
  return checked(xdg_runtime_dir, S_IRWXG | S_IRWXO);
}

std::optional<std::string> private_state_dir(const std::string& state_home)
{
  try {
    make_dirs(state_home, 0700);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return checked(state_home, S_IWGRP | S_IWOTH);
}

std::optional<std::string> private_files_dir(const std::string& xdg_runtime_dir,
                                             const std::string& state_home)
{
  if (xdg_runtime_dir.empty() || xdg_runtime_dir.front() != '/')
    return private_state_dir(state_home);
  return private_runtime_dir(xdg_runtime_dir);
}

std::optional<std::string> private_subdir(const std::string& dir, const std::string& name)
{
  DirFd d(open_dir_at(AT_FDCWD, dir.c_str()));
  if (d.fd < 0 || !private_child(d.fd, name)) return std::nullopt;
  return dir + "/" + name;
}

}  // namespace mvh
