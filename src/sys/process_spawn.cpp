#include "sys/process_spawn.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

extern char** environ;

namespace mvh::detail {
namespace {

// $PATH as Boost.Process's search_path reads it: the first variable whose name, upper-cased,
// is PATH; nullopt when there is none (then nothing is searched).
std::optional<std::string_view> path_variable()
{
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != 4) continue;
    bool match = true;
    for (std::size_t i = 0; i < 4; ++i) match = match && (entry[i] & ~0x20) == "PATH"[i];
    if (match) return entry.substr(5);
  }
  return std::nullopt;
}

}  // namespace

std::string resolve_program(const std::vector<std::string>& argv)
{
  if (argv.empty() || argv[0].empty()) throw failure("cannot run an empty command");
  const std::string& name = argv[0];
  if (name.find('/') != std::string::npos) return name;
  // The search of boost::process::search_path (every entry, an empty one meaning the current
  // directory; a regular file we may execute), without Boost.Filesystem's operations, whose
  // static initialiser (uname + sscanf) would run on every start.
  const auto path = path_variable();
  for (std::size_t from = 0; path && from <= path->size();) {
    std::size_t to = std::min(path->find(':', from), path->size());
    const std::string dir(path->substr(from, to - from));
    std::string candidate = dir;
    if (!candidate.empty() && candidate.back() != '/') candidate += '/';
    candidate += name;  // an empty entry means the current directory: the bare name
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    from = to + 1;
  }
  throw failure("cannot run '" + name + "': not found on PATH; is it installed?");
}

void check_start_dir(const std::string& argv0, const std::string& dir)
{
  if (dir.empty()) return;
  struct stat st {};
  int err = 0;
  if (::stat(dir.c_str(), &st) != 0 || (S_ISDIR(st.st_mode) && ::access(dir.c_str(), X_OK) != 0))
    err = errno;
  else if (!S_ISDIR(st.st_mode))
    err = ENOTDIR;
  if (err != 0)
    throw failure("cannot run '" + argv0 + "' in '" + dir + "': " + std::strerror(err) +
                  "; check that the directory exists and is accessible");
}

Error spawn_error(const std::string& argv0, const std::error_code& ec)
{
  return failure("cannot run '" + argv0 + "': " + std::strerror(ec.value()) +
                 "; check that it is an executable program");
}

void decode_wait_status(int status, int& exit_code, int& signal)
{
  signal = 0;
  exit_code = -1;
  if (WIFEXITED(status))
    exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    signal = WTERMSIG(status);
}

}  // namespace mvh::detail
