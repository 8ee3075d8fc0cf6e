#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/trust_store.hpp"
#include "catch_compat.hpp"

namespace fs = std::filesystem;

namespace {

struct StateDir {
  StateDir()
  {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/mvh-trust-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
    env.vars["HOME"] = path + "/home";
    env.vars["XDG_STATE_HOME"] = path + "/state";
  }
  ~StateDir() { fs::remove_all(path); }
  std::string contents() const
  {
    std::ifstream f(mvh::trust_file_path(env));
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  std::string path;
  mvh::Env env;
};

}  // namespace

TEST_CASE("trust_file_path lives under XDG_STATE_HOME")
{
  mvh::Env env;
  env.vars["HOME"] = "/home/u";
  CHECK(mvh::trust_file_path(env) == "/home/u/.local/state/microvm-here/trusted");
  env.vars["XDG_STATE_HOME"] = "/s";
  CHECK(mvh::trust_file_path(env) == "/s/microvm-here/trusted");
}

TEST_CASE("trust_repo and untrust_repo keep one line per repository")
{
  StateDir d;
  CHECK_FALSE(mvh::is_trusted(d.env, "/r/a"));
  CHECK(mvh::trust_repo(d.env, "/r/a"));
  CHECK_FALSE(mvh::trust_repo(d.env, "/r/a"));
  CHECK(mvh::trust_repo(d.env, "/r/b"));
  CHECK(d.contents() == "/r/a\n/r/b\n");
  CHECK(mvh::is_trusted(d.env, "/r/a"));
  CHECK_FALSE(mvh::is_trusted(d.env, "/r"));
  CHECK_FALSE(mvh::is_trusted(d.env, "/r/a/sub"));
  CHECK(mvh::untrust_repo(d.env, "/r/a"));
  CHECK_FALSE(mvh::untrust_repo(d.env, "/r/a"));
  CHECK(d.contents() == "/r/b\n");
  CHECK_FALSE(mvh::is_trusted(d.env, "/r/a"));
}

TEST_CASE("untrust_repo keeps lines it does not know")
{
  StateDir d;
  fs::create_directories(d.path + "/state/microvm-here");
  std::ofstream(mvh::trust_file_path(d.env)) << "# mine\n/r/a\n/r/c";
  CHECK(mvh::untrust_repo(d.env, "/r/a"));
  CHECK(d.contents() == "# mine\n/r/c\n");
}
