#pragma once
// The program: argument parsing, dispatch through the command table, the one catch of Error.

namespace mvh {

// Runs microvm-here with the process's arguments and environment; returns the exit code
// (README "Exit codes"). Never throws.
int run_main(int argc, char** argv, char** envp);

}  // namespace mvh
