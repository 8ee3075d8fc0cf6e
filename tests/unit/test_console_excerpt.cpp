#include "catch_compat.hpp"
#include "core/console_excerpt.hpp"

using mvh::console_excerpt;

namespace {

std::vector<std::string> numbered(int n, int panic_at = -1)
{
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i)
    v.push_back(i == panic_at ? "[ 0.9] Kernel panic - not syncing: Attempted to kill init!"
                              : "line " + std::to_string(i));
  return v;
}

}  // namespace

TEST_CASE("console_excerpt: without a panic, the tail", "[console_excerpt]")
{
  CHECK(console_excerpt(numbered(5), 3) == std::vector<std::string>{"line 2", "line 3", "line 4"});
  CHECK(console_excerpt(numbered(2), 3) == std::vector<std::string>{"line 0", "line 1"});
  CHECK(console_excerpt(numbered(2), 0).empty());
  CHECK(console_excerpt({}, 5).empty());
}

TEST_CASE("console_excerpt: a panic inside the tail keeps the tail", "[console_excerpt]")
{
  auto lines = numbered(10, 8);
  CHECK(console_excerpt(lines, 4) ==
        std::vector<std::string>{"line 6", "line 7", lines[8], "line 9"});
}

TEST_CASE("console_excerpt: a panic before the tail is shown with context and a marker",
          "[console_excerpt]")
{
  auto lines = numbered(40, 10);  // a panic followed by a 29-line trace
  auto out = console_excerpt(lines, 8);
  CHECK(out == std::vector<std::string>{"line 7", "line 8", "line 9", lines[10], "line 11",
                                        "line 12", "line 13", "... (26 more lines)"});
}

TEST_CASE("console_excerpt: a panic on the first line has no context before it",
          "[console_excerpt]")
{
  auto lines = numbered(30, 0);
  auto out = console_excerpt(lines, 5);
  CHECK(out ==
        std::vector<std::string>{lines[0], "line 1", "line 2", "line 3", "... (26 more lines)"});
}

TEST_CASE("console_excerpt: the last of several panics counts", "[console_excerpt]")
{
  auto lines = numbered(30, 3);
  lines[12] = lines[3];
  auto out = console_excerpt(lines, 4);
  REQUIRE(out.size() == 4);
  CHECK(out[1] == lines[12]);
  CHECK(out[3] == "... (16 more lines)");
}
