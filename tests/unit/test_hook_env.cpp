#include <string>

#include "catch_compat.hpp"
#include "core/hook_env.hpp"

using mvh::HookEnv;
using mvh::HookVars;
using mvh::render_hook_env;
using mvh::Shell;

TEST_CASE("parse_shell knows zsh, bash and fish only")
{
  CHECK(mvh::parse_shell("zsh") == Shell::zsh);
  CHECK(mvh::parse_shell("bash") == Shell::bash);
  CHECK(mvh::parse_shell("fish") == Shell::fish);
  CHECK_FALSE(mvh::parse_shell("tcsh"));
  CHECK_FALSE(mvh::parse_shell(""));
  CHECK(mvh::shell_name(Shell::fish) == "fish");
}

TEST_CASE("render_hook_env sets the variables on the way into a repository")
{
  HookEnv want{"foo", true, false, std::nullopt};
  CHECK(render_hook_env(Shell::zsh, want, {}) ==
        "export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1\n");
  CHECK(render_hook_env(Shell::bash, want, {}) ==
        "export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1\n");
  CHECK(render_hook_env(Shell::fish, want, {}) ==
        "set -gx MICROVM_HERE_NAME foo\nset -gx MICROVM_HERE_PROFILE 1\n");
}

TEST_CASE("render_hook_env prints only what changes")
{
  HookEnv want{"foo", true, false, std::nullopt};
  CHECK(render_hook_env(Shell::bash, want, HookVars{"foo", "1"}).empty());
  CHECK(render_hook_env(Shell::bash, HookEnv{"bar", false, false, std::nullopt},
                        HookVars{"foo", "1"}) ==
        "export MICROVM_HERE_NAME=bar\nunset MICROVM_HERE_PROFILE\n");
  CHECK(render_hook_env(Shell::fish, HookEnv{}, HookVars{"foo", "1"}) ==
        "set -e MICROVM_HERE_NAME\nset -e MICROVM_HERE_PROFILE\n");
  CHECK(render_hook_env(Shell::zsh, HookEnv{}, HookVars{}).empty());
  // A stale value the user set by hand is corrected.
  CHECK(render_hook_env(Shell::zsh, want, HookVars{"foo", "yes"}) ==
        "export MICROVM_HERE_PROFILE=1\n");
}

TEST_CASE("render_hook_env sets and clears the pending enter only in enter mode")
{
  HookEnv enter{"foo", true, true, "foo"};
  CHECK(render_hook_env(Shell::zsh, enter, HookVars{"foo", "1"}) ==
        "typeset -g __microvm_here_enter=foo\n");
  CHECK(render_hook_env(Shell::bash, enter, HookVars{"foo", "1"}) == "__microvm_here_enter=foo\n");
  CHECK(render_hook_env(Shell::fish, enter, HookVars{"foo", "1"}) ==
        "set -g __microvm_here_enter foo\n");
  HookEnv none{"bar", false, true, std::nullopt};
  CHECK(render_hook_env(Shell::bash, none, HookVars{"bar", std::nullopt}) ==
        "unset __microvm_here_enter\n");
  CHECK(render_hook_env(Shell::fish, none, HookVars{"bar", std::nullopt}) ==
        "set -q __microvm_here_enter; and set -e __microvm_here_enter\n");
}

TEST_CASE("render_hook_env quotes values for each shell")
{
  HookEnv odd{"it's $x \\ y", false, false, std::nullopt};
  CHECK(render_hook_env(Shell::bash, odd, {}) == "export MICROVM_HERE_NAME='it'\\''s $x \\ y'\n");
  CHECK(render_hook_env(Shell::fish, odd, {}) == "set -gx MICROVM_HERE_NAME 'it\\'s $x \\\\ y'\n");
}

TEST_CASE("render_hook_script puts the binary's quoted path in every placeholder")
{
  const std::string script = "a=@MICROVM_HERE@\nb=@MICROVM_HERE@ x\n";
  CHECK(mvh::render_hook_script(Shell::zsh, script, "/usr/bin/microvm-here") ==
        "a=/usr/bin/microvm-here\nb=/usr/bin/microvm-here x\n");
  CHECK(mvh::render_hook_script(Shell::bash, script, "/opt/my tools/mh") ==
        "a='/opt/my tools/mh'\nb='/opt/my tools/mh' x\n");
  CHECK(mvh::render_hook_script(Shell::fish, "set b @MICROVM_HERE@", "/o'k/mh") ==
        "set b '/o\\'k/mh'");
  CHECK(mvh::render_hook_script(Shell::zsh, "no placeholder", "/x") == "no placeholder");
}

TEST_CASE("render_hook_script leaves comment lines alone: a newline in the path stays quoted")
{
  const std::string script = "# prints @MICROVM_HERE@ here\n  # @MICROVM_HERE@\nb=@MICROVM_HERE@\n";
  const std::string path = "/x\ntouch /tmp/PWNED #";
  for (Shell sh : {Shell::bash, Shell::zsh, Shell::fish})
    CHECK(mvh::render_hook_script(sh, script, path) ==
          "# prints @MICROVM_HERE@ here\n  # @MICROVM_HERE@\nb='/x\ntouch /tmp/PWNED #'\n");
}
