#include "sys/process_spawn.hpp"

#include <sys/stat.h>

#include <cstring>
#include "sys/boost_process.hpp"

namespace mvh::detail {

std::string resolve_program(const std::vector<std::string>& argv)
{
  if (argv.empty() || argv[0].empty()) throw failure("cannot run an empty command");
  const std::string& name = argv[0];
  if (name.find('/') != std::string::npos) return name;
  const auto found = bp::search_path(name);
  if (found.empty())
    throw failure("cannot run '" + name + "': not found on PATH; is it installed?");
  return found.string();
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
