#include <array>
#include <string_view>

#include "catch_compat.hpp"
#include "core/suggest.hpp"

using mvh::did_you_mean;
using mvh::edit_distance;

namespace {
constexpr std::array<std::string_view, 5> k_words = {"subnet", "gateway", "ssh", "ssh_port",
                                                     "boot_timeout"};
}

TEST_CASE("edit_distance counts insertions, deletions and substitutions", "[suggest]")
{
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("subnett", "subnet") == 1);
  CHECK(edit_distance("gatway", "gateway") == 1);
  CHECK(edit_distance("flaw", "lawn") == 2);
}

TEST_CASE("did_you_mean finds a close candidate", "[suggest]")
{
  CHECK(did_you_mean("subnett", k_words) == "subnet");
  CHECK(did_you_mean("gatewya", k_words) == "gateway");
  CHECK(did_you_mean("ssh-port", k_words) == "ssh_port");
  CHECK(did_you_mean("boot_timout", k_words) == "boot_timeout");
}

TEST_CASE("did_you_mean allows max(2, len/3) edits", "[suggest]")
{
  // "bot_tmeout" is 2 edits away, "boottimeo" 3 (allowed for 9 letters: 9/3 = 3).
  CHECK(did_you_mean("bot_tmeout", k_words) == "boot_timeout");
  CHECK(did_you_mean("boottimeo", k_words) == "boot_timeout");
  // 5 edits on an 11-letter word exceed 11/3 = 3.
  CHECK(did_you_mean("b__t_tim__t", k_words) == std::nullopt);
  // Short words still get 2 edits.
  CHECK(did_you_mean("sh", k_words) == "ssh");
  CHECK(did_you_mean("xyz", k_words) == std::nullopt);
}

TEST_CASE("did_you_mean prefers the nearest, then the first", "[suggest]")
{
  constexpr std::array<std::string_view, 3> words = {"stop", "start", "status"};
  CHECK(did_you_mean("stat", words) == "start");  // 1 edit from start, 2 from status, 2 from stop
  CHECK(did_you_mean("sto", words) == "stop");
  constexpr std::array<std::string_view, 2> tie = {"ab", "ba"};
  CHECK(did_you_mean("aa", tie) == "ab");
}

TEST_CASE("did_you_mean with nothing to offer", "[suggest]")
{
  CHECK(did_you_mean("anything", std::span<const std::string_view>{}) == std::nullopt);
  CHECK(did_you_mean("completely-different", k_words) == std::nullopt);
}
