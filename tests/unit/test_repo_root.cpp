#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/repo_root.hpp"

namespace fs = std::filesystem;
using mvh::find_repo_root;

namespace {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at the end.
class TempDir {
 public:
  TempDir()
  {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/mvh-repo-root-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    created_ = templ;
    char real[PATH_MAX];
    REQUIRE(::realpath(templ.c_str(), real) != nullptr);
    path_ = real;
  }
  ~TempDir() { fs::remove_all(created_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The real path of the directory (no symlinks), as find_repo_root reports it.
  const std::string& path() const { return path_; }
  std::string mkdirs(const std::string& rel) const
  {
    fs::create_directories(path_ + "/" + rel);
    return path_ + "/" + rel;
  }
  void write(const std::string& rel, const std::string& content) const
  {
    std::ofstream(path_ + "/" + rel, std::ios::binary) << content;
  }

 private:
  std::string created_;
  std::string path_;
};

std::string error_of(const std::string& start)
{
  try {
    find_repo_root(start);
  } catch (const mvh::Error& e) {
    CHECK(e.code() == mvh::Exit::usage);
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("find_repo_root finds the nearest .git directory above", "[repo_root]")
{
  TempDir t;
  const std::string repo = t.mkdirs("work/repo");
  t.mkdirs("work/repo/.git");
  const std::string deep = t.mkdirs("work/repo/src/a/b");

  const auto from_deep = find_repo_root(deep);
  CHECK(from_deep.path == repo);
  CHECK(from_deep.in_repo);
  const auto from_root = find_repo_root(repo);
  CHECK(from_root.path == repo);
  CHECK(from_root.in_repo);
  CHECK(find_repo_root(repo + "/src/../src/a/").path == repo);
}

TEST_CASE("find_repo_root stops at an inner repository", "[repo_root]")
{
  TempDir t;
  t.mkdirs("outer/.git");
  const std::string inner = t.mkdirs("outer/vendor/inner");
  t.mkdirs("outer/vendor/inner/.git");
  CHECK(find_repo_root(t.mkdirs("outer/vendor/inner/lib")).path == inner);
  CHECK(find_repo_root(t.path() + "/outer/vendor").path == t.path() + "/outer");
}

TEST_CASE("find_repo_root accepts a worktree or submodule .git file", "[repo_root]")
{
  TempDir t;
  const std::string wt = t.mkdirs("wt");
  t.write("wt/.git", "gitdir: /elsewhere/.git/worktrees/wt\n");
  const auto r = find_repo_root(t.mkdirs("wt/src"));
  CHECK(r.path == wt);
  CHECK(r.in_repo);

  const std::string sub = t.mkdirs("sub");
  t.write("sub/.git", "gitdir:../.git/modules/sub");
  CHECK(find_repo_root(sub).path == sub);
}

TEST_CASE("find_repo_root ignores a .git file that is not a gitdir pointer", "[repo_root]")
{
  TempDir t;
  const std::string outer = t.mkdirs("outer");
  t.mkdirs("outer/.git");
  t.mkdirs("outer/notes");
  t.write("outer/notes/.git", "just some notes\n");
  t.mkdirs("outer/empty");
  t.write("outer/empty/.git", "");
  t.mkdirs("outer/short");
  t.write("outer/short/.git", "gitdi");
  t.mkdirs("outer/spaced");
  t.write("outer/spaced/.git", " gitdir: x");

  for (const char* d : {"notes", "empty", "short", "spaced"}) {
    INFO(d);
    CHECK(find_repo_root(outer + "/" + d).path == outer);
  }

  // Without a real repository above, it is simply not a repository.
  const std::string lone = t.mkdirs("lone");
  t.write("lone/.git", "not a pointer");
  const auto r = find_repo_root(lone);
  CHECK(r.path == lone);
  CHECK_FALSE(r.in_repo);
}

TEST_CASE("find_repo_root resolves symlinks first, as git does", "[repo_root]")
{
  TempDir t;
  const std::string repo = t.mkdirs("real/repo");
  t.mkdirs("real/repo/.git");
  t.mkdirs("real/repo/src");
  t.mkdirs("links");
  fs::create_directory_symlink(repo, t.path() + "/links/repo-link");
  fs::create_directory_symlink("../real/repo/src", t.path() + "/links/src-link");

  const auto via_link = find_repo_root(t.path() + "/links/repo-link");
  CHECK(via_link.path == repo);
  CHECK(via_link.in_repo);
  CHECK(find_repo_root(t.path() + "/links/src-link").path == repo);
  CHECK(find_repo_root(t.path() + "/links/repo-link/src").path == repo);

  // A symlinked .git directory counts like the directory itself.
  const std::string linked = t.mkdirs("linked");
  fs::create_directory_symlink(repo + "/.git", linked + "/.git");
  CHECK(find_repo_root(linked).path == linked);
}

TEST_CASE("find_repo_root outside any repository returns the resolved start", "[repo_root]")
{
  TempDir t;
  // The temp directory must not itself be inside a repository for this test to mean anything.
  for (fs::path p = t.path(); p != p.parent_path(); p = p.parent_path()) {
    REQUIRE_FALSE(fs::exists(p / ".git"));
  }
  const std::string dir = t.mkdirs("plain/dir");
  fs::create_directory_symlink(dir, t.path() + "/plain-link");
  const auto r = find_repo_root(t.path() + "/plain-link");
  CHECK(r.path == dir);
  CHECK_FALSE(r.in_repo);
}

TEST_CASE("find_repo_root reports a start it cannot use", "[repo_root]")
{
  TempDir t;
  CHECK(error_of(t.path() + "/missing") ==
        "cannot read '" + t.path() + "/missing': No such file or directory");
  CHECK(error_of(t.path() + "/missing/deeper") ==
        "cannot read '" + t.path() + "/missing/deeper': No such file or directory");
  t.write("file", "x");
  CHECK(error_of(t.path() + "/file") == "cannot read '" + t.path() + "/file': Not a directory");
  fs::create_directory_symlink(t.path() + "/gone", t.path() + "/dangling");
  CHECK(error_of(t.path() + "/dangling") ==
        "cannot read '" + t.path() + "/dangling': No such file or directory");
}

TEST_CASE("find_repo_root: a repository at home is no repository root", "[repo_root]")
{
  TempDir t;
  const std::string home = t.mkdirs("home");
  t.mkdirs("home/.git");
  const std::string notes = t.mkdirs("home/notes");
  const std::string repo = t.mkdirs("home/src/repo");
  t.mkdirs("home/src/repo/.git");
  const auto in_notes = find_repo_root(notes, false, home);
  CHECK(in_notes.path == notes);
  CHECK_FALSE(in_notes.in_repo);
  CHECK(in_notes.home_repo);
  const auto at_home = find_repo_root(home, false, home);
  CHECK(at_home.path == home);
  CHECK_FALSE(at_home.in_repo);
  CHECK(at_home.home_repo);
  // Repositories under home are what they are; without home, the old answer.
  CHECK(find_repo_root(repo + "/.", false, home).path == repo);
  CHECK_FALSE(find_repo_root(repo, false, home).home_repo);
  CHECK(find_repo_root(notes).path == home);
  // home given through a symlink still matches its real path.
  fs::create_directory_symlink(home, t.path() + "/home-link");
  CHECK(find_repo_root(notes, false, t.path() + "/home-link").home_repo);
}
