#include "catch_compat.hpp"
#include "core/status_format.hpp"

using mvh::display_width;
using mvh::format_status;
using mvh::sanitize_for_terminal;
using mvh::truncate_to_width;

TEST_CASE("sanitize_for_terminal removes escapes and controls", "[status_format]")
{
  CHECK(sanitize_for_terminal("a\x1b[31mred\x1b[0m\tb") == "ared b");
  CHECK(sanitize_for_terminal("x\x1b]0;title\ay") == "xy");
  CHECK(sanitize_for_terminal("x\x1b]8;;url\x1b\\y") == "xy");
  CHECK(sanitize_for_terminal("50%\r60%") == "50% 60%");
  CHECK(sanitize_for_terminal("c1:\xc2\x9b.") == "c1: .");
  CHECK(sanitize_for_terminal("bad\xff\xc3") == "bad??");
  CHECK(sanitize_for_terminal("\xed\xa0\x80") == "???");  // a UTF-16 surrogate is not UTF-8
  CHECK(sanitize_for_terminal("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x99\x82") ==
        "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x99\x82");
  CHECK(sanitize_for_terminal("trailing\x1b[") == "trailing");
}

TEST_CASE("display_width counts terminal columns", "[status_format]")
{
  CHECK(display_width("abc") == 3);
  CHECK(display_width("caf\xc3\xa9") == 4);               // é precomposed
  CHECK(display_width("cafe\xcc\x81") == 4);              // e + combining acute
  CHECK(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);  // 日本
  CHECK(display_width("\xf0\x9f\x99\x82") == 2);          // 🙂
  CHECK(display_width("") == 0);
}

TEST_CASE("truncate_to_width cuts whole code points and marks the cut", "[status_format]")
{
  CHECK(truncate_to_width("hello", 5) == "hello");
  CHECK(truncate_to_width("hello", 4) == "hel\xe2\x80\xa6");
  CHECK(truncate_to_width("hello", 1) == "\xe2\x80\xa6");
  CHECK(truncate_to_width("hello", 0) == "");
  CHECK(truncate_to_width("h\xc3\xa9llo", 3) == "h\xc3\xa9\xe2\x80\xa6");
  // 日本語: 6 columns; 5 keeps 日本 (4) + …; 4 keeps only 日 (2) + … since 日本 + … is 5.
  CHECK(truncate_to_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5) ==
        "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
  CHECK(truncate_to_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4) == "\xe6\x97\xa5\xe2\x80\xa6");
}

TEST_CASE("format_status joins phase and detail and fits the width", "[status_format]")
{
  CHECK(format_status("Rebuilding", "  building '/nix/store/abc-x.drv'...  ", 80) ==
        "Rebuilding \xe2\x80\x94 building '/nix/store/abc-x.drv'...");
  CHECK(format_status("Starting VM", "", 80) == "Starting VM");
  CHECK(format_status("Starting VM", "   ", 80) == "Starting VM");
  CHECK(format_status("Rebuilding", "\x1b[1mcopying\x1b[0m path", 80) ==
        "Rebuilding \xe2\x80\x94 copying path");
  CHECK(format_status("Rebuilding", "0123456789", 16) == "Rebuilding \xe2\x80\x94 01\xe2\x80\xa6");
  CHECK(display_width(format_status("Rebuilding", std::string(300, 'x'), 79)) == 79);
}
