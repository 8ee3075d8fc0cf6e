#pragma once
// Capturing this process's environment into an Env value (once, in run_main).
#include "core/env.hpp"

namespace mvh {

// Variables from envp, the physical cwd (empty if it was deleted), uid/gid, tty flags.
// copy_vars false: the variables are looked up in envp when asked (Env::lookup), which must
// then outlive the Env; never fails.
Env env_from_process(char** envp, bool copy_vars = true);

// Absolute path of the running executable (/proc/self/exe), or "microvm-here" if unknown.
std::string self_executable();

}  // namespace mvh
