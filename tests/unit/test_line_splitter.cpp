#include "catch_compat.hpp"
#include "core/line_splitter.hpp"

namespace {

std::vector<std::string> split(const std::vector<std::string>& chunks, std::size_t max = 1024)
{
  std::vector<std::string> lines;
  mvh::LineSplitter s(max);
  const auto sink = [&](std::string_view l) { lines.emplace_back(l); };
  for (const auto& c : chunks) s.feed(c, sink);
  s.finish(sink);
  return lines;
}

}  // namespace

TEST_CASE("LineSplitter joins lines across chunks", "[line_splitter]")
{
  CHECK(split({"a\nb", "c\n", "\n", "d"}) == std::vector<std::string>{"a", "bc", "", "d"});
  CHECK(split({"x\n"}) == std::vector<std::string>{"x"});
  CHECK(split({""}).empty());
}

TEST_CASE("LineSplitter drops the CR of CRLF only", "[line_splitter]")
{
  CHECK(split({"a\r\nb\r", "\nc\rd\n", "e\r"}) == std::vector<std::string>{"a", "b", "c\rd", "e"});
}

TEST_CASE("LineSplitter cuts overlong lines into max_line pieces", "[line_splitter]")
{
  CHECK(split({"abcdefg\n"}, 3) == std::vector<std::string>{"abc", "def", "g"});
  CHECK(split({"ab", "c", "\nd"}, 3) == std::vector<std::string>{"abc", "d"});
  CHECK(split({"abc", "d\n"}, 3) == std::vector<std::string>{"abc", "d"});
}

TEST_CASE("LineSplitter reports a held partial line", "[line_splitter]")
{
  mvh::LineSplitter s;
  s.feed("abc", [](std::string_view) {});
  CHECK(s.has_partial());
  std::string got;
  s.finish([&](std::string_view l) { got = l; });
  CHECK(got == "abc");
  CHECK_FALSE(s.has_partial());
}
