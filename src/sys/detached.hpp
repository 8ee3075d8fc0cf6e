#pragma once
// Starting a program that outlives us and never holds the caller's terminal or pipes, for
// work the shell hook must not wait for.
#include <string>
#include <vector>

namespace mvh {

// Starts argv[0] (an absolute path) with argv in a new session, stdin and stdout on
// /dev/null and stderr inherited, and does not wait for it. Returns an empty string on
// success, else the cause ("No such file or directory"). Never throws.
std::string spawn_detached(const std::vector<std::string>& argv);

}  // namespace mvh
