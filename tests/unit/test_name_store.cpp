#include <unistd.h>

#include "catch_compat.hpp"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/name_store.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;

namespace {

struct StateDir {
  StateDir()
  {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/mvh-names-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
    env.vars["HOME"] = path + "/home";
    env.vars["XDG_STATE_HOME"] = path + "/state";
  }
  ~StateDir() { fs::remove_all(path); }
  std::string contents() const
  {
    std::ifstream f(mvh::name_book_path(env));
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  void write(const std::string& text) const
  {
    fs::create_directories(path + "/state/microvm-here");
    std::ofstream(mvh::name_book_path(env), std::ios::binary) << text;
  }
  std::string path;
  mvh::Env env;
};

}  // namespace

TEST_CASE("name_book_path lives under XDG_STATE_HOME", "[name_store]")
{
  mvh::Env env;
  env.vars["HOME"] = "/home/u";
  CHECK(mvh::name_book_path(env) == "/home/u/.local/state/microvm-here/names");
  env.vars["XDG_STATE_HOME"] = "/s";
  CHECK(mvh::name_book_path(env) == "/s/microvm-here/names");
}

TEST_CASE("remember_name keeps one line per repository", "[name_store]")
{
  StateDir d;
  CHECK(mvh::read_name_book(d.env).entries.empty());
  mvh::remember_name(d.env, "/w/api", "api");
  mvh::remember_name(d.env, "/o/api", "api-2");
  CHECK(d.contents() == "api\t/w/api\napi-2\t/o/api\n");
  mvh::remember_name(d.env, "/w/api", "api-3");
  CHECK(d.contents() == "api-2\t/o/api\napi-3\t/w/api\n");
  CHECK((fs::status(mvh::name_book_path(d.env)).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  auto book = mvh::read_name_book(d.env);
  CHECK(book.name_of("/w/api") == "api-3");
  CHECK(book.name_of("/o/api") == "api-2");
  CHECK_FALSE(book.name_of("/w"));
  CHECK(book.other_root_of("api-2", "/w/api") == "/o/api");
  CHECK_FALSE(book.other_root_of("api-2", "/o/api"));
}

TEST_CASE("read_name_book skips lines that are no NAME<TAB>/ROOT", "[name_store]")
{
  StateDir d;
  d.write("junk\n\tno-name\nrel\tpath\nok\t/r/a b\ttab\nlast\t/r/last");
  auto book = mvh::read_name_book(d.env);
  REQUIRE(book.entries.size() == 2);
  CHECK(book.name_of("/r/a b\ttab") == "ok");
  CHECK(book.name_of("/r/last") == "last");
}

TEST_CASE("read_name_book refuses a file over the size limit", "[name_store]")
{
  StateDir d;
  d.write(std::string(mvh::k_name_book_max_bytes, '\n'));
  CHECK(mvh::read_name_book(d.env).entries.empty());
  d.write(std::string(mvh::k_name_book_max_bytes + 1, '\n'));
  try {
    (void)mvh::read_name_book(d.env);
    FAIL("no error");
  } catch (const mvh::Error& e) {
    CHECK(e.code() == mvh::Exit::failure);
    CHECK(std::string(e.what()) ==
          mvh::name_book_path(d.env) +
              " is larger than 256 KiB; it holds one line per repository: remove the lines of "
              "repositories you no longer use");
  }
}

TEST_CASE("remember_name refuses a root with a newline", "[name_store]")
{
  StateDir d;
  CHECK_THROWS_WITH(mvh::remember_name(d.env, "/r/a\nb", "a"),
                    "cannot remember a VM name for '/r/a\\nb': its path contains a newline");
}
