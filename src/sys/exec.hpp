#pragma once
// Replacing our process with another program (the final `ssh`): the argv stays a vector
// until this single execvp.
#include <string>
#include <vector>

namespace mvh {

// Flushes stdout/stderr (C and C++ streams) and execvp()s argv (argv[0] looked up on PATH).
// Returns only by throwing Error(Exit::failure)
// "cannot run '<argv0>': <strerror>; is it installed and on PATH?".
[[noreturn]] void exec_argv(const std::vector<std::string>& argv);

}  // namespace mvh
