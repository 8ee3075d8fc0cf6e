#include "nix_eval.hpp"
#include "catch_compat.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace mvh::test {

namespace {

std::string make_temp_dir()
{
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/mvh-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
  return tmpl;
}

// One private directory per test process for Nix state and the files under test; removed at
// exit.
struct TempRoot {
  std::string dir = make_temp_dir();
  ~TempRoot()
  {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::string& temp_root()
{
  static const TempRoot root;
  return root.dir;
}

std::string read_all(int fd)
{
  std::string s;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    s.append(buf, static_cast<std::size_t>(n));
  }
  return s;
}

}  // namespace

std::string find_nix_instantiate()
{
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string p = (dir.empty() ? "." : dir) + "/nix-instantiate";
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

std::string write_temp_file(const std::string& text, const std::string& name)
{
  static int counter = 0;
  std::string dir = temp_root() + "/" + std::to_string(++counter);
  std::filesystem::create_directory(dir);
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

NixEval nix_eval(const std::string& expr)
{
  NixEval r;
  std::string exe = find_nix_instantiate();
  r.found = !exe.empty();
  if (!r.found) return r;
  const std::string home = temp_root() + "/nix";
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (key != "HOME" && key != "NIX_STATE_DIR" && key != "NIX_CONF_DIR" && key != "NIX_LOG_DIR" &&
        key != "XDG_CACHE_HOME" && key != "NIX_REMOTE" && key != "NIX_PATH")
      env.push_back(kv);
  }
  for (const char* k : {"HOME", "NIX_STATE_DIR", "NIX_CONF_DIR", "NIX_LOG_DIR", "XDG_CACHE_HOME"})
    env.push_back(std::string(k) + "=" + home + "/" + k);
  std::vector<char*> envp;
  for (std::string& kv : env) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {exe, "--eval", "--strict", "--json", "-E", expr};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2], err[2];
  REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(pipe2(err, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc == 0) {
    r.out = read_all(out[0]);  // nix writes little to stderr, so reading in turn cannot block
    r.err = read_all(err[0]);
    // Nix 2.26 (Debian 13) ends the --json value with a newline, Nix 2.8 (Debian 12) does not.
    if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  close(out[0]);
  close(err[0]);
  return r;
}

NixEval nix_eval_profiles(const std::string& file)
{
  return nix_eval(
      "let f = import (/. + \"" + file +
      "\"); v = if builtins.isFunction f then f { } else f; in "
      "builtins.mapAttrs (n: e: { ipAddress = e.ipAddress or null; "
      "tapId = e.tapId or null; mac = e.mac or null; vsockCid = e.vsockCid or null; }) v");
}

bool nix_available_or_skip()
{
  if (!find_nix_instantiate().empty()) return true;
  const char* skip = std::getenv("MVH_NO_NIX");
  if (skip && std::string(skip) == "1") {
    WARN("nix-instantiate not on PATH and MVH_NO_NIX=1: skipping the real-Nix check");
    return false;
  }
  FAIL("nix-instantiate not on PATH: install nix-bin, or set MVH_NO_NIX=1 to skip this check");
  return false;
}

void check_with_real_nix(const std::string& text, const std::vector<ProfileEntry>& expected)
{
  if (!nix_available_or_skip()) return;
  std::string file = write_temp_file(text);
  NixEval r = nix_eval_profiles(file);
  INFO("file " << file << ":\n" << text << "\nnix stderr: " << r.err);
  REQUIRE(r.status == 0);
  std::vector<ProfileEntry> got = profiles_from_json(r.out, file);
  std::vector<ProfileEntry> want = expected;
  auto by_name = [](const ProfileEntry& a, const ProfileEntry& b) { return a.name < b.name; };
  std::sort(got.begin(), got.end(), by_name);
  std::sort(want.begin(), want.end(), by_name);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("entry " << want[i].name);
    CHECK(got[i].name == want[i].name);
    CHECK(got[i].ip_address == want[i].ip_address);
    CHECK(got[i].tap_id == want[i].tap_id);
    CHECK(got[i].mac == want[i].mac);
    CHECK(got[i].vsock_cid == want[i].vsock_cid);
  }
}

}  // namespace mvh::test
