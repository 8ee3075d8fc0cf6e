// staging_risk (when a root-owned link's target counts as the caller's) and old_layout_refusal
// (the old mount-point layout), on real directories. Owners other than the test's own uid are
// covered by integration.sudo_attacks and integration.workspace_tmpfiles (real users).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include "catch_compat.hpp"

#include "sys/workspace_takeover.hpp"

using namespace mvh;
namespace fs = std::filesystem;

namespace {

// A scratch directory below the current one (the build tree), not /tmp: every directory above
// /tmp's entries is writable by others, which is exactly what staging_risk refuses.
struct Scratch {
  fs::path root;
  Scratch()
  {
    std::string tmpl = (fs::current_path() / "mvh-takeover-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root = tmpl;
    ::chmod(root.c_str(), 0755);
  }
  ~Scratch() { fs::remove_all(root); }
};

const unsigned me = ::geteuid();

}  // namespace

TEST_CASE("staging_risk: a target below a directory others may write is refused",
          "[workspace_takeover]")
{
  std::string tmpl = (fs::temp_directory_path() / "mvh-takeover-XXXXXX").string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  struct stat st {};
  REQUIRE(::stat(fs::temp_directory_path().c_str(), &st) == 0);
  // Below a sticky shared directory only root's own entries are safe (nobody else can make,
  // rename or remove them); the caller's own entry there could have been staged.
  if ((st.st_mode & S_IWOTH) != 0 && (::geteuid() != 0 || (st.st_mode & S_ISVTX) == 0))
    CHECK(staging_risk(tmpl, me) == fs::temp_directory_path().string() + " is writable by others");
  else if ((st.st_mode & S_IWOTH) != 0)
    CHECK(staging_risk(tmpl, me) == std::nullopt);
  fs::remove(tmpl);
}

TEST_CASE("staging_risk: each way a path can be staged or unclear", "[workspace_takeover]")
{
  Scratch s;
  if (auto risk = staging_risk(s.root, me)) {
    WARN("the build tree itself is not safe (" + *risk + "); skipping");
    return;
  }
  const std::string r = s.root.string();
  fs::create_directory(s.root / "repo");
  CHECK(staging_risk(r + "/repo", me) == std::nullopt);
  CHECK(staging_risk("repo", me) == "repo is not an absolute path");
  CHECK(staging_risk(r + "/./repo", me) ==
        r + "/./repo is not canonical (it has '.', '..' or '//')");
  CHECK(staging_risk(r + "//repo", me) == r + "//repo is not canonical (it has '.', '..' or '//')");
  CHECK(staging_risk(r + "/gone", me) == r + "/gone does not exist");
  fs::create_directory_symlink(s.root / "repo", s.root / "via");
  CHECK(staging_risk(r + "/via", me) == r + "/via is a symlink");
  CHECK(staging_risk(r + "/via/x", me) == r + "/via is a symlink");
  std::ofstream(s.root / "file") << "x";
  CHECK(staging_risk(r + "/file", me) == r + "/file is not a directory");
  fs::create_directories(s.root / "open" / "repo");
  ::chmod((s.root / "open").c_str(), 01777);
  if (::geteuid() == 0) {
    CHECK(staging_risk(r + "/open/repo", me) == std::nullopt);  // root's entry, sticky dir
    REQUIRE(::chown((s.root / "open" / "repo").c_str(), 65534, 65534) == 0);
    CHECK(staging_risk(r + "/open/repo", 65534) == r + "/open is writable by others");
    REQUIRE(::chown((s.root / "open" / "repo").c_str(), 0, 0) == 0);
  } else {
    CHECK(staging_risk(r + "/open/repo", me) == r + "/open is writable by others");
  }
  ::chmod((s.root / "open").c_str(), 0775);
  CHECK(staging_risk(r + "/open/repo", me) == r + "/open is writable by others");
  ::chmod((s.root / "open").c_str(), 0755);
  CHECK(staging_risk(r + "/open/repo", me) == std::nullopt);
  const unsigned other = me == 0 ? 1 : 0;
  if (me == 0) {
    CHECK(staging_risk(r + "/repo", other) == r + "/repo belongs to uid 0, not to you");
    REQUIRE(::chown((s.root / "open").c_str(), 12345, 12345) == 0);
    CHECK(staging_risk(r + "/open/repo", 0) ==
          r + "/open belongs to uid 12345, neither to you nor to root");
  }
}

TEST_CASE("old_layout_refusal: only a root-owned directory of mount points", "[workspace_takeover]")
{
  Scratch s;
  const std::string r = s.root.string();
  int dfd = ::open(r.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dfd >= 0);
  fs::create_directories(s.root / "vm" / "b-point");
  fs::create_directories(s.root / "vm" / "a-point");
  const std::string vm = r + "/vm";
  if (me == 0) {
    CHECK(old_layout_refusal(dfd, "vm", vm) ==
          "workspace path " + vm +
              " is the old layout of per-repository mount points: a root-owned directory "
              "holding " +
              vm + "/a-point (empty), " + vm +
              "/b-point (empty); microvm-here now makes it a link to the repository itself, "
              "and changed nothing. Stop the VM if it runs, clean up as root with: rmdir " +
              vm + "/a-point " + vm + "/b-point " + vm +
              " (rmdir removes only empty directories); then run again");
    REQUIRE(::chown((s.root / "vm").c_str(), 12345, 12345) == 0);
    CHECK(old_layout_refusal(dfd, "vm", vm) == std::nullopt);  // not root's
    REQUIRE(::chown((s.root / "vm").c_str(), 0, 0) == 0);
  }
  std::ofstream(s.root / "vm" / "b-point" / "data") << "x";  // a directory with files: data
  CHECK(old_layout_refusal(dfd, "vm", vm) == std::nullopt);
  fs::remove(s.root / "vm" / "b-point" / "data");
  std::ofstream(s.root / "vm" / "file") << "x";  // a file: data
  CHECK(old_layout_refusal(dfd, "vm", vm) == std::nullopt);
  fs::remove(s.root / "vm" / "file");
  fs::create_directory_symlink("/", s.root / "vm" / "link");  // a symlink: not the layout
  CHECK(old_layout_refusal(dfd, "vm", vm) == std::nullopt);
  ::close(dfd);
}
