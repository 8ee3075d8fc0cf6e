#pragma once
// Small helpers shared by the Catch2 tests that touch real files and processes.
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "catch_compat.hpp"

namespace mvh::test {

// A fresh directory under the system temp dir, removed (only it) at the end of the test.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "mvh-test")
  {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// True when this process has no child left, not even a zombie.
inline bool no_children()
{
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

// argv running script with sh -c.
inline std::vector<std::string> sh(const std::string& script)
{
  return {"sh", "-c", script};
}

}  // namespace mvh::test
