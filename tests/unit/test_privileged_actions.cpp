// The words of the sudo step: what microvm-here sends is exactly what the helper accepts, and
// each word does what its name says (a restart is never sent as a start).
#include <string>

#include "app/elevate.hpp"
#include "catch_compat.hpp"

using mvh::PrivilegedAction;

TEST_CASE("privileged words round-trip and map to their steps", "[privileged]")
{
  struct Row {
    PrivilegedAction action;
    const char* word;
    bool link, start, restart;
  };
  const Row rows[] = {
      {PrivilegedAction::link, "link", true, false, false},
      {PrivilegedAction::start, "start", false, true, false},
      {PrivilegedAction::restart, "restart", false, false, true},
      {PrivilegedAction::link_and_start, "link+start", true, true, false},
      {PrivilegedAction::link_and_restart, "link+restart", true, false, true},
  };
  for (const Row& r : rows) {
    INFO(r.word);
    CHECK(std::string(mvh::privileged_word(r.action)) == r.word);
    REQUIRE(mvh::parse_privileged_word(r.word) == r.action);
    const auto s = mvh::privileged_steps(r.action);
    CHECK(s.link == r.link);
    CHECK(s.start == r.start);
    CHECK(s.restart == r.restart);
  }
}

TEST_CASE("privileged words: anything else is unknown", "[privileged]")
{
  for (const char* w :
       {"", "LINK", "link+", "start+link", "link+stop", "stop", "link start", "link\n", "-rf"})
    CHECK_FALSE(mvh::parse_privileged_word(w).has_value());
}
