#pragma once
// Capturing this process's environment into an Env value (once, in run_main).
#include <optional>
#include <string>

#include "core/env.hpp"

namespace mvh {

// Variables from envp, the physical cwd (empty if it was deleted), uid/gid, tty flags.
// copy_vars false: the variables are looked up in envp when asked (Env::lookup), which must
// then outlive the Env; never fails.
Env env_from_process(char** envp, bool copy_vars = true);

// For the privileged step, which runs as root with an environment the caller may have chosen
// (sudo's `!env_reset`, `env_keep`, `SETENV`; doas's `keepenv`): keeps from envp only the
// variables an elevator sets to name its caller (k_caller_variables), then empties this
// process's own environment (what libraries read: libsystemd's DBUS_SYSTEM_BUS_ADDRESS and
// SYSTEMD_*, ...) and sets the fixed PATH k_privileged_path in it and in the result.
Env privileged_env_from_process(char** envp);
inline constexpr const char* k_caller_variables[] = {"SUDO_UID", "DOAS_USER", "PKEXEC_UID"};
inline constexpr const char* k_privileged_path = "/usr/sbin:/usr/bin:/sbin:/bin";

// This process's parent as the kernel sees it: its real uid and name (/proc/PPID/status and
// comm). nullopt when the parent is outside our PID namespace (getppid() is 0 there). Throws
// Error(Exit::failure) when it cannot be read or the parent exited meanwhile.
struct ParentProcess {
  unsigned real_uid = 0;
  std::string name;
};
std::optional<ParentProcess> parent_process();

// Absolute path of the running executable (/proc/self/exe), or "microvm-here" if unknown.
std::string self_executable();

}  // namespace mvh
