// point_link against whatever sits at <workspaces>/<name>: each shape alone, then a racer
// thread that swaps shapes in between point_link's check and its rename. Pure file system work
// in a private temp dir; no root needed.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/workspace_link.hpp"

using namespace mvh;
namespace fs = std::filesystem;

namespace {

struct Sandbox {
  fs::path root;
  fs::path ws, repo, decoy, decoy_empty, decoy_file;
  Sandbox()
  {
    std::string tmpl = (fs::temp_directory_path() / "mvh-wslink-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root = tmpl;
    ws = root / "ws";
    repo = root / "repo";
    decoy = root / "decoy";
    decoy_empty = root / "decoy_empty";
    decoy_file = root / "decoy_file";
    for (const fs::path& d : {ws, repo, decoy, decoy_empty, decoy / "sub"}) fs::create_directory(d);
    write(decoy / "precious", "decoy data\n");
    write(decoy_file, "decoy file\n");
    write(repo / "README", "the repository\n");
  }
  ~Sandbox() { fs::remove_all(root); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  // Everything outside ws, as "relative path = content" lines (directories end in '/').
  std::string outside() const
  {
    std::set<std::string> lines;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::end(it); ++it) {
      const fs::path rel = fs::relative(it->path(), root);
      if (*rel.begin() == "ws" || *rel.begin() == "stage" || *rel.begin() == "graveyard") {
        if (it->is_directory() && !it->is_symlink()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_symlink())
        lines.insert(rel.string() + " -> " + fs::read_symlink(it->path()).string());
      else if (it->is_directory())
        lines.insert(rel.string() + "/");
      else
        lines.insert(rel.string() + " = " + read(it->path()));
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  static std::string read(const fs::path& p)
  {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::vector<std::string> ws_names() const
  {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(ws)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
};

std::string refusal_of(const Sandbox& s, const std::string& name)
{
  try {
    point_link(s.ws, name, s.repo);
  } catch (const Error& e) {
    CHECK(e.code() == Exit::failure);
    return e.what();
  }
  return "";
}

int rename2(const fs::path& from, const fs::path& to, unsigned flags)
{
  return static_cast<int>(
      ::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags));
}

}  // namespace

TEST_CASE("point_link: each shape at the path, alone", "[workspace_link]")
{
  Sandbox s;
  const std::string before = s.outside();
  const fs::path link = s.ws / "vm";

  SECTION("absent: created")
  {
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("empty directory: replaced")
  {
    fs::create_directory(link);
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("symlink to a directory elsewhere: the symlink is replaced, never followed")
  {
    fs::create_directory_symlink(s.decoy, link);
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("symlink to an empty directory elsewhere: not removed through the link")
  {
    fs::create_directory_symlink(s.decoy_empty, link);
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("symlink to a file elsewhere")
  {
    fs::create_symlink(s.decoy_file, link);
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("dangling symlink")
  {
    fs::create_symlink(s.root / "nowhere", link);
    CHECK(refusal_of(s, "vm").empty());
  }
  SECTION("already right: nothing to do")
  {
    fs::create_directory_symlink(s.repo, link);
    CHECK(refusal_of(s, "vm").empty());
  }
  CHECK(s.ws_names() == std::vector<std::string>{"vm"});
  CHECK(fs::read_symlink(link) == s.repo);
  CHECK(s.outside() == before);
}

TEST_CASE("point_link: files, full directories and others are refused untouched",
          "[workspace_link]")
{
  Sandbox s;
  const fs::path link = s.ws / "vm";
  const std::string path = link.string();
  const std::string tail =
      ", not a link microvm-here made; it was left untouched. Move it away (it may hold your "
      "data), then run again";

  SECTION("a directory with files")
  {
    fs::create_directory(link);
    Sandbox::write(link / "notes", "mine\n");
    CHECK(refusal_of(s, "vm") ==
          "workspace path " + path + " is a directory with files in it" + tail);
    CHECK(Sandbox::read(link / "notes") == "mine\n");
    CHECK(inspect_link(s.ws, "vm").kind == LinkKind::nonempty_dir);
  }
  SECTION("a file")
  {
    Sandbox::write(link, "mine\n");
    CHECK(refusal_of(s, "vm") == "workspace path " + path + " is a file" + tail);
    CHECK(Sandbox::read(link) == "mine\n");
  }
  SECTION("a fifo")
  {
    REQUIRE(::mkfifo(link.c_str(), 0600) == 0);
    CHECK(refusal_of(s, "vm") ==
          "workspace path " + path + " is neither a symlink nor a directory" + tail);
    CHECK(fs::is_fifo(fs::symlink_status(link)));
  }
  CHECK(s.ws_names() == std::vector<std::string>{"vm"});
}

namespace {

// Swaps shapes in at <ws>/<name> as fast as it can: a symlink to a decoy (a full directory,
// an empty one, a file, nothing), a directory with a file, a file, or nothing. It never
// deletes: what it swaps out goes to graveyard/, so every object it made can be found later.
struct Racer {
  Racer(const Sandbox& sandbox, fs::path path) : s(sandbox), target(std::move(path)) {}
  const Sandbox& s;
  fs::path target;
  std::atomic<bool> stop{false};
  std::atomic<int> swaps{0};        // iterations done, so the test can keep pace with it
  std::map<std::string, int> made;  // "file-N"/"dir-N" -> 1

  void run()
  {
    const fs::path stage = s.root / "stage", grave = s.root / "graveyard";
    fs::create_directory(stage);
    fs::create_directory(grave);
    const fs::path decoys[] = {s.decoy, s.decoy_empty, s.decoy_file, s.root / "nowhere"};
    for (int i = 0; !stop; ++i, ++swaps) {
      const std::string id = std::to_string(i);
      const fs::path obj = stage / ("o" + id), buried = grave / ("g" + id);
      switch (i % 4) {
        case 0:
          fs::create_symlink(decoys[(i / 4) % 4], obj);
          break;
        case 1:
          fs::create_directory(obj);
          Sandbox::write(obj / "keep", "dir-" + id);
          made["dir-" + id] = 1;
          break;
        case 2:
          Sandbox::write(obj, "file-" + id);
          made["file-" + id] = 1;
          break;
        default:
          rename2(target, buried, RENAME_NOREPLACE);
          continue;
      }
      if (rename2(obj, target, RENAME_EXCHANGE) != 0 &&
          (errno != ENOENT || rename2(obj, target, RENAME_NOREPLACE) == 0))
        continue;
      // obj is now what was at target (or our own object when both renames failed).
      rename2(obj, buried, RENAME_NOREPLACE);
    }
  }
};

// "file-N"/"dir-N" objects found under dir (a directory object holds its id in "keep").
void collect(const fs::path& dir, std::map<std::string, int>& found)
{
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_symlink()) continue;
    if (e.is_directory())
      ++found[Sandbox::read(e.path() / "keep")];
    else
      ++found[Sandbox::read(e.path())];
  }
}

}  // namespace

TEST_CASE("point_link: a racer swapping the path never makes it touch anything else",
          "[workspace_link][race]")
{
  Sandbox s;
  const std::string before = s.outside();
  const std::string path = (s.ws / "vm").string();
  Racer racer(s, s.ws / "vm");
  std::thread t([&] { racer.run(); });

  // MVH_LINK_RACE_RUNS=20000 for a longer hunt; 500 keeps the suite quick.
  const char* runs_env = std::getenv("MVH_LINK_RACE_RUNS");
  const int runs = runs_env ? std::atoi(runs_env) : 500;
  int linked = 0, refused = 0;
  std::map<std::string, int> messages;  // refusal text with the path cut out -> count
  for (int i = 0; i < runs; ++i) {
    // At least one swap between runs, or on a busy machine the racer may hardly run at all.
    for (const int seen = racer.swaps; racer.swaps == seen;) std::this_thread::yield();
    try {
      point_link(s.ws, "vm", s.repo);
      ++linked;
    } catch (const Error& e) {
      ++refused;
      std::string msg = e.what();
      if (msg.rfind("workspace path " + path + " ", 0) == 0) msg = msg.substr(16 + path.size());
      ++messages[msg.substr(0, msg.find_first_of(",("))];
    }
  }
  racer.stop = true;
  t.join();

  std::map<std::string, int> found;
  collect(s.ws, found);
  collect(s.root / "stage", found);
  collect(s.root / "graveyard", found);
  int lost = 0;
  for (const auto& [id, n] : racer.made) {
    INFO(id);
    CHECK(found[id] == 1);
    lost += found[id] == 1 ? 0 : 1;
  }
  const bool outside_same = s.outside() == before;
  CHECK(outside_same);
  int ours_left = 0;  // temporary links of point_link left behind
  for (const std::string& n : s.ws_names())
    if (n != "vm" && fs::is_symlink(s.ws / n) && fs::read_symlink(s.ws / n) == s.repo) ++ours_left;
  CHECK(ours_left == 0);

  std::cout << "link race: " << runs << " runs: " << linked << " linked, " << refused
            << " refused, " << (lost + (outside_same ? 0 : 1)) << " escapes (racer made "
            << racer.made.size() << " files/dirs)\n";
  for (const auto& [msg, n] : messages) std::cout << "  " << n << " x " << msg << "\n";
  // Each refusal is one of the clear messages.
  for (const auto& [msg, n] : messages) {
    INFO(msg);
    CHECK((msg == "is a file" || msg == "is a directory with files in it" ||
           msg == "changed while microvm-here was replacing it "));
  }
  CHECK(linked + refused == runs);
}
