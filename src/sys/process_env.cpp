#include "sys/process_env.hpp"

#include <limits.h>
#include <unistd.h>

#include <string>

namespace mvh {

Env env_from_process(char** envp, bool copy_vars)
{
  Env env;
  if (!copy_vars) env.lookup = envp;
  for (char** e = copy_vars ? envp : nullptr; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.vars.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  char buf[PATH_MAX];
  if (::getcwd(buf, sizeof buf)) env.cwd = buf;
  env.uid = ::getuid();
  env.gid = ::getgid();
  env.stdin_tty = ::isatty(0) == 1;
  env.stdout_tty = ::isatty(1) == 1;
  env.stderr_tty = ::isatty(2) == 1;
  return env;
}

std::string self_executable()
{
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "microvm-here";
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace mvh
