// sys/fs on real files in a scratch directory: what a crash or a refusal leaves behind.
#include "catch_compat.hpp"
#include "sys/fs.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace {

struct ScratchDir {
  ScratchDir()
  {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/mvh-fs-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::set<std::string> names() const
  {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.insert(e.path().filename().string());
    return out;
  }
  std::string path;
};

void touch_aged(const std::string& path, int age_seconds)
{
  REQUIRE(mvh::create_file_exclusive(path, "partial"));
  struct utimbuf t {};
  t.actime = t.modtime = ::time(nullptr) - age_seconds;
  REQUIRE(::utime(path.c_str(), &t) == 0);
}

}  // namespace

TEST_CASE("create_file_exclusive creates the whole file and leaves no temp file")
{
  ScratchDir d;
  const std::string p = d.path + "/default.nix";
  CHECK(mvh::create_file_exclusive(p, "{ ... }:\n{\n}\n", 0640));
  CHECK(*mvh::read_file(p) == "{ ... }:\n{\n}\n");
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(d.names() == std::set<std::string>{"default.nix"});
}

TEST_CASE("create_file_exclusive never overwrites, even an empty file or a dangling link")
{
  ScratchDir d;
  const std::string p = d.path + "/default.nix";
  REQUIRE(mvh::create_file_exclusive(p, ""));
  CHECK_FALSE(mvh::create_file_exclusive(p, "new"));
  CHECK(mvh::read_file(p)->empty());
  const std::string link = d.path + "/dangling.nix";
  REQUIRE(::symlink("nowhere", link.c_str()) == 0);
  CHECK_FALSE(mvh::create_file_exclusive(link, "new"));
  CHECK(d.names() == std::set<std::string>{"default.nix", "dangling.nix"});
}

TEST_CASE("write_file_atomic replaces the file, keeps its mode and leaves no temp file")
{
  ScratchDir d;
  const std::string p = d.path + "/profiles.nix";
  REQUIRE(mvh::create_file_exclusive(p, "old", 0600));
  mvh::write_file_atomic(p, "new");
  CHECK(*mvh::read_file(p) == "new");
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(d.names() == std::set<std::string>{"profiles.nix"});
}

TEST_CASE(
    "a failed write names the path and the cause and leaves the file and directory as they were")
{
  ScratchDir d;
  // Renaming over a non-empty directory fails after the temp file was written.
  const std::string p = d.path + "/profiles.nix";
  fs::create_directories(p + "/x");
  try {
    mvh::write_file_atomic(p, "new");
    FAIL("write_file_atomic succeeded");
  } catch (const mvh::Error& e) {
    CHECK(e.code() == mvh::Exit::config);
    CHECK(std::string(e.what()) == "cannot write " + p +
                                       ": Is a directory (the file is unchanged); " +
                                       "check the permissions and mounts of " + d.path);
  }
  CHECK(d.names() == std::set<std::string>{"profiles.nix"});
}

TEST_CASE("remove_stale_temps removes only old temp files of that one path")
{
  ScratchDir d;
  const std::string p = d.path + "/profiles.nix";
  touch_aged(d.path + "/.profiles.nix.mvh-AbC123", 120);  // stale
  touch_aged(d.path + "/.profiles.nix.mvh-XyZ789", 5);    // a live writer's, maybe
  touch_aged(d.path + "/.other.nix.mvh-AbC123", 120);     // another file's
  touch_aged(d.path + "/.profiles.nix.mvh-toolong1", 120);
  touch_aged(d.path + "/profiles.nix", 120);
  CHECK(mvh::remove_stale_temps(p) == 1);
  CHECK(d.names() == std::set<std::string>{".profiles.nix.mvh-XyZ789", ".other.nix.mvh-AbC123",
                                           ".profiles.nix.mvh-toolong1", "profiles.nix"});
  CHECK(mvh::remove_stale_temps(d.path + "/missing-dir/x.nix") == 0);
}

TEST_CASE("find_on_path never finds a program planted in the current directory", "[fs]")
{
  ScratchDir d;
  const std::string bin = d.path + "/bin";
  fs::create_directories(bin);
  for (const std::string& dir : {d.path, bin}) {
    const std::string prog = dir + "/nix-instantiate";
    FILE* f = std::fopen(prog.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
    REQUIRE(::chmod(prog.c_str(), 0755) == 0);
  }
  const std::string before = fs::current_path();
  fs::current_path(d.path);
  // The sudo step used PATH="": an empty entry names the current directory to a shell.
  CHECK_FALSE(mvh::find_on_path("nix-instantiate", "").has_value());
  CHECK_FALSE(mvh::find_on_path("nix-instantiate", ":").has_value());
  CHECK_FALSE(mvh::find_on_path("nix-instantiate", "/nonexistent::").has_value());
  CHECK_FALSE(mvh::find_on_path("nix-instantiate", "bin").has_value());
  CHECK_FALSE(mvh::find_on_path("nix-instantiate", ".").has_value());
  CHECK(mvh::find_on_path("nix-instantiate", "/nonexistent:" + bin) == bin + "/nix-instantiate");
  fs::current_path(before);
}

TEST_CASE("new files follow the umask, replaced files keep their mode", "[fs]")
{
  ScratchDir d;
  const mode_t old = ::umask(077);
  CHECK(mvh::create_file_exclusive(d.path + "/new.nix", "{ }\n", 0644));
  mvh::write_file_atomic(d.path + "/atomic", "x\n", 0644);
  ::umask(old);
  struct stat st {};
  REQUIRE(::stat((d.path + "/new.nix").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(::stat((d.path + "/atomic").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(::chmod((d.path + "/atomic").c_str(), 0640) == 0);
  mvh::write_file_atomic(d.path + "/atomic", "y\n", 0644);
  REQUIRE(::stat((d.path + "/atomic").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
}
