// resolve_ssh_alias against real libssh (dlopen()ed) and a throwaway ssh directory.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "sys/libssh.hpp"
#include "sys/ssh_config.hpp"

namespace fs = std::filesystem;
using namespace mvh;

namespace {

struct TempSshDir {
  fs::path dir;
  explicit TempSshDir(const std::string& config)
  {
    std::string tmpl = (fs::temp_directory_path() / "mvh-sshcfg-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    std::ofstream(dir / "config") << config;
  }
  ~TempSshDir() { fs::remove_all(dir); }  // created above, by us
};

const char* const config_text =
    "Host microvm-foo\n"
    "  HostName 127.83.0.9\n"
    "  Port 2222\n"
    "  User microvm\n"
    "\n"
    "Host microvm-bar\n"
    "  HostName 127.83.0.10\n"
    "  HostKeyAlias microvm-bar\n"
    "  GlobalKnownHostsFile /var/lib/microvm-hostkeys/ssh_known_hosts\n"
    "  IdentityFile ~/.ssh/microvm-bar\n"
    "\n"
    "Host noname\n"
    "  Port 2200\n";

}  // namespace

TEST_CASE("resolve_ssh_alias reads HostName, Port and User of a Host block", "[ssh_config]")
{
  TempSshDir ssh(config_text);
  const auto t = resolve_ssh_alias("microvm-foo", ssh.dir.string());
  REQUIRE(t.has_value());
  CHECK(t->host == "127.83.0.9");
  CHECK(t->port == 2222);
  CHECK(t->user == "microvm");
}

TEST_CASE("resolve_ssh_alias defaults the port to 22", "[ssh_config]")
{
  TempSshDir ssh(config_text);
  const auto t = resolve_ssh_alias("microvm-bar", ssh.dir.string());
  REQUIRE(t.has_value());
  CHECK(t->host == "127.83.0.10");
  CHECK(t->port == 22);
  CHECK(t->user.empty());
}

TEST_CASE("resolve_ssh_alias: no HostName for the alias gives nullopt", "[ssh_config]")
{
  TempSshDir ssh(config_text);
  CHECK_FALSE(resolve_ssh_alias("microvm-unknown", ssh.dir.string()).has_value());
  CHECK_FALSE(resolve_ssh_alias("noname", ssh.dir.string()).has_value());
}

TEST_CASE("resolve_ssh_alias: a missing config file gives nullopt", "[ssh_config]")
{
  TempSshDir ssh(config_text);
  fs::remove(ssh.dir / "config");
  CHECK_FALSE(resolve_ssh_alias("microvm-foo", ssh.dir.string()).has_value());
}

TEST_CASE("load_libssh names the library and the package when it cannot load", "[ssh_config]")
{
  try {
    load_libssh("libssh-missing.so.4");
    FAIL("load_libssh did not throw");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::failure);
    CHECK(std::string(e.what()) ==
          "cannot load libssh-missing.so.4: libssh-missing.so.4: cannot open shared object file: "
          "No such file or directory; install the Debian package libssh-4 (libssh 0.10 or "
          "newer): sudo apt-get install libssh-4");
  }
  CHECK(libssh_if_available() != nullptr);
}
