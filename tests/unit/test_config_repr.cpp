// Values in config messages keep their TOML spelling (core/config_fields.cpp toml_repr, which
// prints through toml++'s primitive printers rather than its formatter: README "Startup cost").
#include <string>

#include "catch_compat.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace {

// "got ..." of the message for `nixfiles = value`.
std::string got(const std::string& value)
{
  try {
    mvh::parse_config("nixfiles = " + value + "\n", "config.toml", "/home/u");
  } catch (const mvh::Error& e) {
    const std::string m = e.what();
    const std::string prefix = "config.toml:1: 'nixfiles' must be a string, got ";
    REQUIRE(m.rfind(prefix, 0) == 0);
    return m.substr(prefix.size());
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("integers keep their base and sign", "[config]")
{
  CHECK(got("42") == "42");
  CHECK(got("0") == "0");
  CHECK(got("-5") == "-5");
  CHECK(got("0x2a") == "0x2A");
  CHECK(got("0o17") == "0o17");
  CHECK(got("0b101") == "0b101");
  CHECK(got("0x0") == "0x0");
}

TEST_CASE("floats, booleans, dates and times as TOML writes them", "[config]")
{
  CHECK(got("1.5") == "1.5");
  CHECK(got("22.0") == "22.0");
  CHECK(got("1e300") == "1.0000000000000001e+300");
  CHECK(got("1.5e-7") == "1.4999999999999999e-07");
  CHECK(got("inf") == "inf");
  CHECK(got("-inf") == "-inf");
  CHECK(got("nan") == "nan");
  CHECK(got("false") == "false");
  CHECK(got("1979-05-27") == "1979-05-27");
  CHECK(got("07:32:00") == "07:32:00");
  CHECK(got("1979-05-27T07:32:00Z") == "1979-05-27T07:32:00Z");
  CHECK(got("1979-05-27T00:32:00.999-07:00") == "1979-05-27T00:32:00.999-07:00");
}

TEST_CASE("arrays show each element, tables are named", "[config]")
{
  CHECK(got("[1, 0xff, 2.0, true, \"x\"]") == "[1, 0xFF, 2.0, true, \"x\"]");
  CHECK(got("{ a = 1 }") == "a table");
}
