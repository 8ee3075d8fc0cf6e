// microvm-here: a thin entry point over src/app (see README "Design").
#include "app/run.hpp"

int main(int argc, char** argv, char** envp) { return mvh::run_main(argc, argv, envp); }
