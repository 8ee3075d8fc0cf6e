// sys/run_as_user: the sudo step's reading of the caller's files happens in a child that is the
// caller for good. Needs root to change identity (CI runs the suite as root); skipped otherwise.
#include "catch_compat.hpp"
#include "sys/run_as_user.hpp"

#include <unistd.h>

#include <csignal>

#include <string>

#include "core/error.hpp"

using mvh::Error;
using mvh::Exit;
using mvh::UserIdentity;

TEST_CASE("run_as_user drops for good in the child and passes its Error back", "[run_as_user]")
{
  if (::geteuid() != 0) {
    WARN("not root: cannot change identity, skipped");
    return;
  }
  const UserIdentity nobody{65534, 65534, {}};
  try {
    mvh::run_as_user(nobody, [] {
      if (::getuid() != 65534 || ::geteuid() != 65534 || ::getgid() != 65534)
        throw Error(Exit::failure, "not nobody");
      if (::setuid(0) == 0) throw Error(Exit::failure, "took root back");
      if (::getgroups(0, nullptr) != 0) throw Error(Exit::failure, "kept root's groups");
      throw Error(Exit::config, "a refusal, as the caller");
    });
    FAIL("no Error came back");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
    CHECK(std::string(e.what()) == "a refusal, as the caller");
  }
  CHECK(::geteuid() == 0);  // the parent is still root for the privileged part
  CHECK_NOTHROW(mvh::run_as_user(nobody, [] {}));
}

TEST_CASE("run_as_user reports a child that dies", "[run_as_user]")
{
  if (::geteuid() != 0) {
    WARN("not root: cannot change identity, skipped");
    return;
  }
  try {
    mvh::run_as_user(UserIdentity{65534, 65534, {}}, [] { ::raise(SIGKILL); });
    FAIL("no Error came back");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::failure);
    CHECK(std::string(e.what()) ==
          "the check of your files (as uid 65534) was killed by signal 9; nothing was changed");
  }
}
