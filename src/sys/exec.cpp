#include "sys/exec.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace mvh {

void exec_argv(const std::vector<std::string>& argv)
{
  if (argv.empty() || argv[0].empty()) throw failure("cannot run an empty command");
  // Buffered output would be lost with our process image. All output goes through stdio:
  // <iostream> is not used anywhere, as its static initialiser would cost every start.
  std::fflush(nullptr);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  const int err = errno;
  throw failure("cannot run '" + argv[0] + "': " + std::strerror(err) +
                "; is it installed and on PATH?");
}

}  // namespace mvh
