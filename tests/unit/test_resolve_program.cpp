// detail::resolve_program finds programs on PATH as boost::process::search_path did (it was
// replaced so that Boost.Filesystem's static initialiser no longer runs on every start).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/process_spawn.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir()
  {
    std::string tmpl = (fs::temp_directory_path() / "mvh-resolve-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

// Sets (or, with nullopt, unsets) $PATH and the working directory for one test; restores both.
struct PathScope {
  std::optional<std::string> old_path;
  fs::path old_cwd = fs::current_path();
  PathScope(const std::optional<std::string>& path, const fs::path& cwd)
  {
    if (const char* p = std::getenv("PATH")) old_path = p;
    if (path)
      ::setenv("PATH", path->c_str(), 1);
    else
      ::unsetenv("PATH");
    fs::current_path(cwd);
  }
  ~PathScope()
  {
    if (old_path)
      ::setenv("PATH", old_path->c_str(), 1);
    else
      ::unsetenv("PATH");
    fs::current_path(old_cwd);
  }
};

void make_file(const fs::path& p, bool executable)
{
  std::ofstream(p) << "#!/bin/sh\n";
  ::chmod(p.c_str(), executable ? 0755 : 0644);
}

std::string resolve(const std::string& name)
{
  try {
    return mvh::detail::resolve_program({name});
  } catch (const mvh::Error& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("resolve_program takes the first executable regular file on PATH", "[process]")
{
  TempDir t;
  for (const char* d : {"a", "b", "c", "d"}) fs::create_directory(t.path / d);
  make_file(t.path / "a" / "mvh-prog", false);      // not executable: skipped
  fs::create_directory(t.path / "b" / "mvh-prog");  // a directory: skipped
  make_file(t.path / "c" / "mvh-prog", true);
  make_file(t.path / "d" / "mvh-prog", true);
  const std::string dirs = (t.path / "a").string() + ":" + (t.path / "b").string() + ":" +
                           (t.path / "c").string() + "/:" + (t.path / "d").string();
  PathScope scope(dirs, t.path);
  CHECK(resolve("mvh-prog") == (t.path / "c" / "mvh-prog").string());
  CHECK(resolve("./mvh-anything") == "./mvh-anything");  // a '/' in the name: used as is
  CHECK(resolve("mvh-none") == "cannot run 'mvh-none': not found on PATH; is it installed?");
}

TEST_CASE("an empty PATH entry means the current directory, no PATH finds nothing", "[process]")
{
  TempDir t;
  make_file(t.path / "mvh-here", true);
  {
    PathScope scope("/nonexistent-mvh-dir::/nonexistent-mvh-dir2", t.path);
    CHECK(resolve("mvh-here") == "mvh-here");
  }
  {
    PathScope scope(std::nullopt, t.path);
    CHECK(resolve("mvh-here") == "cannot run 'mvh-here': not found on PATH; is it installed?");
  }
}
