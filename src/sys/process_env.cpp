#include "sys/process_env.hpp"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"

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

Env privileged_env_from_process(char** envp)
{
  Env all = env_from_process(envp, false);
  Env env;
  env.cwd = all.cwd;
  env.uid = all.uid;
  env.gid = all.gid;
  env.stdin_tty = all.stdin_tty;
  env.stderr_tty = all.stderr_tty;
  for (const char* name : k_caller_variables)
    if (all.has(name)) env.vars[name] = all.get(name);
  env.vars["PATH"] = k_privileged_path;
  // envp (the original block) stays valid: clearenv only drops environ's pointer to it.
  ::clearenv();
  ::setenv("PATH", k_privileged_path, 1);
  return env;
}

std::optional<ParentProcess> parent_process()
{
  const pid_t ppid = ::getppid();
  if (ppid == 0) return std::nullopt;
  const std::string dir = "/proc/" + std::to_string(ppid);
  std::ifstream status(dir + "/status");
  std::ifstream comm(dir + "/comm");
  ParentProcess p;
  bool found = false;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Uid:", 0) != 0) continue;
    std::istringstream(line.substr(4)) >> p.real_uid;
    found = true;
    break;
  }
  std::getline(comm, p.name);
  // Read before the check: if the parent exited, the pid may now be someone else's.
  if (!found || ::getppid() != ppid)
    throw failure("cannot tell which process started this one (" + dir +
                  "/status is unreadable or it exited); run it again");
  return p;
}

std::string self_executable()
{
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "microvm-here";
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace mvh
