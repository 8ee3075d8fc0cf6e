#include "app/run.hpp"

#include <cstdio>

namespace mvh {

int run_main(int, char**, char**)
{
  std::fputs("microvm-here: not implemented yet\n", stderr);
  return 1;
}

}  // namespace mvh
