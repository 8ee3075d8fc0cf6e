#include "sys/detached.hpp"

#include <fcntl.h>
#include <spawn.h>

#include <cstring>

extern char** environ;

namespace mvh {

std::string spawn_detached(const std::vector<std::string>& argv)
{
  if (argv.empty()) return "nothing to run";
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawnattr_init(&attr);
  // Our stdout is the pipe of the shell's $(...): a child holding it would block the prompt.
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
  // A new session: no controlling terminal, so nothing it runs can prompt or get the shell's
  // job-control signals.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &files, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? std::string() : std::string(std::strerror(rc));
}

}  // namespace mvh
