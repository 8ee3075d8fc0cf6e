#include "sys/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace mvh {
namespace {

std::string cause(int err) { return (err == ENOSPC || err == EDQUOT) ? "disk full" : std::strerror(err); }

Error write_error(const std::string& path, int err)
{
  // A full disk while writing profiles.nix is a configuration-file problem for the user.
  return Error(Exit::config, "cannot write " + path + ": " + cause(err) +
                                 (err == ENOSPC || err == EDQUOT
                                      ? "; free some space there and run again (the file is unchanged)"
                                      : ""));
}

void write_all(int fd, std::string_view data, const std::string& path)
{
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw write_error(path, errno);
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

}  // namespace

std::optional<std::string> read_file(const std::string& path)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw failure("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
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

void write_file_atomic(const std::string& path, std::string_view data, unsigned mode)
{
  const std::string dir = dir_name(path);
  std::string tmpl = join_path(dir, "." + base_name(path) + ".mvh-XXXXXX");
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) throw write_error(path, errno);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  try {
    if (::fchmod(fd, mode) != 0) throw write_error(path, errno);
    write_all(fd, data, path);
    if (::fsync(fd) != 0) throw write_error(path, errno);
    if (::close(fd) != 0) {
      fd = -1;
      throw write_error(path, errno);
    }
    fd = -1;
    if (::rename(tmpl.c_str(), path.c_str()) != 0) throw write_error(path, errno);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmpl.c_str());
    throw;
  }
  fsync_dir(dir);
}

bool create_file_exclusive(const std::string& path, std::string_view data, unsigned mode)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw write_error(path, errno);
  }
  try {
    write_all(fd, data, path);
    if (::fsync(fd) != 0) throw write_error(path, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  ::close(fd);
  fsync_dir(dir_name(path));
  return true;
}

void make_dirs(const std::string& path, unsigned mode)
{
  if (path.empty() || is_directory(path)) return;
  make_dirs(dir_name(path), mode);
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    throw failure("cannot create directory " + path + ": " + std::strerror(errno));
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
  while (true) {
    auto colon = path_var.find(':');
    std::string_view dir = path_var.substr(0, colon);
    std::string candidate = join_path(dir.empty() ? "." : dir, prog);
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    path_var.remove_prefix(colon + 1);
  }
}

}  // namespace mvh
