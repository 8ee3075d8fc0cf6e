#include <string>

#include "catch_compat.hpp"
#include "core/env.hpp"

TEST_CASE("Env::lookup answers like the copied map would")
{
  char a[] = "HOME=/home/u", b[] = "EMPTY=", c[] = "NOEQUALS", d[] = "HOME=/second", e[] = "A=B=c",
       f[] = "XDG_STATE_HOME=relative";
  char* envp[] = {a, b, c, d, e, f, nullptr};
  mvh::Env env;
  env.lookup = envp;
  CHECK(env.get("HOME") == "/home/u");  // the first entry, as getenv
  CHECK(env.has("EMPTY"));
  CHECK(env.get("EMPTY", "x").empty());
  CHECK_FALSE(env.has("NOEQUALS"));
  CHECK_FALSE(env.has("HOM"));
  CHECK_FALSE(env.has("HOMEX"));
  CHECK(env.get("A") == "B=c");
  CHECK_FALSE(env.has("A=B"));  // never a variable's name
  CHECK(env.get("MISSING", "def") == "def");
  CHECK(env.xdg_state_home() == "/home/u/.local/state");
  env.vars["HOME"] = "/over";  // vars come first
  CHECK(env.get("HOME") == "/over");
  CHECK(env.home() == "/over");
}

TEST_CASE("Env without lookup has only its vars")
{
  mvh::Env env;
  env.vars["X"] = "1";
  CHECK(env.get("X") == "1");
  CHECK_FALSE(env.has("PATH"));
  CHECK(env.home() == "/");
}
