// printable(): the one escaping function for text we did not write (README "Threat model").
#include "catch_compat.hpp"

#include "core/printable.hpp"

using mvh::Keep;
using mvh::printable;
using mvh::quoted;

TEST_CASE("printable: C0 controls, DEL and ESC sequences are escaped", "[printable]")
{
  CHECK(printable("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(printable(std::string("\0\x01\x1b[2J\x7f", 7)) == "\\x00\\x01\\x1b[2J\\x7f");
  CHECK(printable("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
}

TEST_CASE("printable: UTF-8 C1 controls are escaped (CSI U+009B)", "[printable]")
{
  CHECK(printable("x\xc2\x9b"
                  "31mred") == "x\\u009b31mred");
  CHECK(printable("\xc2\x80\xc2\x9f\xc2\xa0") == "\\u0080\\u009f\xc2\xa0");
}

TEST_CASE("printable: bidi controls are escaped", "[printable]")
{
  CHECK(printable("a\u202eb\u202a\u202b\u202c\u202d") == "a\\u202eb\\u202a\\u202b\\u202c\\u202d");
  CHECK(printable("\u2066\u2067\u2068\u2069\u200e\u200f\u061c") ==
        "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c");
}

TEST_CASE("printable: invalid UTF-8 bytes are escaped, valid UTF-8 kept", "[printable]")
{
  CHECK(printable("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80") ==
        "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
  CHECK(printable("\xff\xfe") == "\\xff\\xfe");
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(printable("\xe2\x80") == "\\xe2\\x80");           // truncated
  CHECK(printable("\x80"
                  "a") == "\\x80a");  // stray continuation
}

TEST_CASE("printable: Keep::tab and Keep::newline", "[printable]")
{
  CHECK(printable("a\tb\nc", Keep::tab) == "a\tb\\nc");
  CHECK(printable("a\tb\nc\rd", Keep::newline) == "a\\tb\nc\\rd");
}

TEST_CASE("quoted: quotes and backslashes of the input, escapes of printable", "[printable]")
{
  CHECK(quoted("a\"b\\c\n\xc2\x9b") == "\"a\\\"b\\\\c\\n\\u009b\"");
}
