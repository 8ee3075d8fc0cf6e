#include "sys/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "core/error.hpp"

namespace mvh {
namespace {

bool is_disk_full(int err)
{
  return err == ENOSPC || err == EDQUOT;
}

// outcome: what stayed as it was ("the file is unchanged"), so the user knows nothing is damaged.
Error write_error(const std::string& path, int err, const char* outcome)
{
  // A full disk while writing profiles.nix is a configuration-file problem for the user.
  if (is_disk_full(err))
    return Error(Exit::config, "cannot write " + path +
                                   ": disk full; free some space there and run again (" + outcome +
                                   ")");
  return Error(Exit::config, "cannot write " + path + ": " + std::strerror(err) + " (" + outcome +
                                 "); check the permissions and mounts of " + dir_name(path));
}

void write_all(int fd, std::string_view data, const std::string& path, const char* outcome)
{
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw write_error(path, errno, outcome);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void fsync_dir(const std::string& dir)
{
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// A new file's mode as open(2) would make it: mkostemp creates 0600 and fchmod ignores the
// umask, so apply it here (a user with umask 077 keeps their files private).
unsigned new_file_mode(unsigned mode)
{
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mode & ~static_cast<unsigned>(mask);
}

// Writes data to a new hidden temp file next to path (fsynced and closed) and returns its name.
// The name starts with '.' and does not end in ".nix", so neither Nix nor a directory import
// ever picks it up; on failure it is removed.
std::string write_temp(const std::string& path, std::string_view data, unsigned mode,
                       const char* outcome)
{
  std::string tmp = join_path(dir_name(path), "." + base_name(path) + ".mvh-XXXXXX");
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) throw write_error(path, errno, outcome);
  try {
    if (::fchmod(fd, mode) != 0) throw write_error(path, errno, outcome);
    write_all(fd, data, path, outcome);
    if (::fsync(fd) != 0) throw write_error(path, errno, outcome);
    int rc = ::close(fd);
    fd = -1;
    if (rc != 0) throw write_error(path, errno, outcome);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  return tmp;
}

}  // namespace

std::optional<std::string> read_file(const std::string& path)
{
  return read_file(path, static_cast<std::size_t>(-1) - 1);
}

std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw failure("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const std::size_t want = std::min(sizeof buf, max_bytes + 1 - out.size());
    ssize_t n = want == 0 ? 0 : ::read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      throw failure("cannot read " + path + ": " + std::strerror(e));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void write_file_atomic(const std::string& link_or_path, std::string_view data, unsigned mode)
{
  const char* const outcome = "the file is unchanged";
  // A file the user keeps as a symlink (profiles.nix in a dotfiles checkout) stays one: the new
  // text replaces the file it points at, in that file's directory.
  std::string path = link_or_path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      path = real;
      std::free(real);
    }
  }
  // The old file's permission bits, never set-id or sticky bits.
  mode = ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : new_file_mode(mode);
  const std::string tmp = write_temp(path, data, mode, outcome);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw write_error(path, e, outcome);
  }
  fsync_dir(dir_name(path));
}

bool create_file_exclusive(const std::string& path, std::string_view data, unsigned mode)
{
  const char* const outcome = "nothing was created";
  if (path_exists(path)) return false;
  // Complete before it appears: a crash must never leave an empty or partial file that a later
  // run would keep because it exists.
  const std::string tmp = write_temp(path, data, new_file_mode(mode), outcome);
  int rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
    // Filesystems without RENAME_NOREPLACE: link() fails with EEXIST just the same.
    rc = ::link(tmp.c_str(), path.c_str());
    int e = errno;
    ::unlink(tmp.c_str());
    errno = e;
  }
  if (rc != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    if (e == EEXIST) return false;
    throw write_error(path, e, outcome);
  }
  fsync_dir(dir_name(path));
  return true;
}

int remove_stale_temps(const std::string& path, int min_age_seconds)
{
  const std::string prefix = "." + base_name(path) + ".mvh-";
  const std::string dir = dir_name(path);
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  const time_t cutoff = ::time(nullptr) - min_age_seconds;
  int removed = 0;
  while (const dirent* ent = ::readdir(d)) {
    const std::string name = ent->d_name;
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string full = join_path(dir, name);
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_mtime > cutoff) continue;
    if (::unlink(full.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

void make_dirs(const std::string& path, unsigned mode)
{
  if (path.empty() || is_directory(path)) return;
  make_dirs(dir_name(path), mode);
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    if (is_disk_full(errno))
      throw config_error("cannot create directory " + path +
                         ": disk full; free some space there and run again");
    throw failure("cannot create directory " + path + ": " + std::strerror(errno));
  }
}

bool path_exists(const std::string& path)
{
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_executable_file(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string dir_name(std::string_view path)
{
  auto slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string base_name(std::string_view path)
{
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string join_path(std::string_view a, std::string_view b)
{
  if (!b.empty() && b.front() == '/') return std::string(b);
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

std::optional<std::string> find_on_path(std::string_view prog, std::string_view path_var)
{
  if (prog.find('/') != std::string_view::npos)
    return is_executable_file(std::string(prog)) ? std::optional<std::string>(prog) : std::nullopt;
  // An empty or relative entry would mean (a place under) the current directory: never for the
  // programs we look up, so a checkout cannot plant a nix-instantiate, git or sudo.
  while (!path_var.empty()) {
    auto colon = path_var.find(':');
    std::string_view dir = path_var.substr(0, colon);
    if (!dir.empty() && dir.front() == '/') {
      std::string candidate = join_path(dir, prog);
      if (is_executable_file(candidate)) return candidate;
    }
    if (colon == std::string_view::npos) break;
    path_var.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

std::vector<std::string> list_dir(const std::string& dir)
{
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
      out.emplace_back(e->d_name);
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

bool remove_regular_file(const std::string& path)
{
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    throw failure("cannot remove " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode))
    throw failure("refusing to remove " + path + ": it is not a regular file; remove it by hand");
  if (::unlink(path.c_str()) != 0)
    throw failure("cannot remove " + path + ": " + std::strerror(errno));
  return true;
}

std::optional<std::string> read_link(const std::string& path)
{
  char buf[4096];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace mvh
