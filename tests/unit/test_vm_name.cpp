#include <string>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/vm_name.hpp"

using mvh::check_vm_name;
using mvh::derive_vm_name;
using mvh::is_valid_vm_name;

TEST_CASE("derive_vm_name keeps names that are already valid", "[vm_name]")
{
  CHECK(derive_vm_name("nixfiles") == "nixfiles");
  CHECK(derive_vm_name("alias-watch") == "alias-watch");
  CHECK(derive_vm_name("Mixed_Case-9") == "Mixed_Case-9");
  CHECK(derive_vm_name("a") == "a");
  CHECK(derive_vm_name("7") == "7");
}

TEST_CASE("derive_vm_name turns runs of other characters into one dash", "[vm_name]")
{
  CHECK(derive_vm_name("My Repo.v2") == "My-Repo-v2");
  CHECK(derive_vm_name("foo.nvim") == "foo-nvim");
  CHECK(derive_vm_name("a   b") == "a-b");
  CHECK(derive_vm_name("a. .b") == "a-b");
  CHECK(derive_vm_name("it's \"quoted\"") == "it-s-quoted");
  CHECK(derive_vm_name("$(rm -rf ~)") == "rm--rf");  // the "-" of "-rf" is kept
  CHECK(derive_vm_name("a;b|c&d`e`") == "a-b-c-d-e");
  CHECK(derive_vm_name("tab\there\nnewline") == "tab-here-newline");
  // An existing dash next to a replaced run stays as written.
  CHECK(derive_vm_name("a-.b") == "a--b");
}

TEST_CASE("derive_vm_name treats each UTF-8 byte as outside the set", "[vm_name]")
{
  CHECK(derive_vm_name("caf\xc3\xa9") == "caf");               // café
  CHECK(derive_vm_name("a \xc3\xa9 b") == "a-b");              // a é b: one run
  CHECK(derive_vm_name("\xe6\x97\xa5\xe6\x9c\xac-x") == "x");  // 日本-x
  CHECK(derive_vm_name("na\xc3\xafve") == "na-ve");            // naïve
}

TEST_CASE("derive_vm_name trims dashes and underscores at the edges", "[vm_name]")
{
  CHECK(derive_vm_name("--leading") == "leading");
  CHECK(derive_vm_name("-rf") == "rf");
  CHECK(derive_vm_name("_private_") == "private");
  CHECK(derive_vm_name("__init__") == "init");
  CHECK(derive_vm_name(".dotfiles") == "dotfiles");
  CHECK(derive_vm_name("trailing.") == "trailing");
  CHECK(derive_vm_name("-_-x_-_") == "x");
  CHECK(derive_vm_name("in_side") == "in_side");
}

TEST_CASE("derive_vm_name gives nullopt when nothing valid remains", "[vm_name]")
{
  CHECK(derive_vm_name("") == std::nullopt);
  CHECK(derive_vm_name(".") == std::nullopt);
  CHECK(derive_vm_name("..") == std::nullopt);
  CHECK(derive_vm_name("...") == std::nullopt);
  CHECK(derive_vm_name("___") == std::nullopt);
  CHECK(derive_vm_name("-_-") == std::nullopt);
  CHECK(derive_vm_name("\xc3\xa9\xc3\xa9") == std::nullopt);
  CHECK(derive_vm_name("$()") == std::nullopt);
}

TEST_CASE("derive_vm_name keeps exactly 63 characters", "[vm_name]")
{
  const std::string name63(63, 'q');
  CHECK(derive_vm_name(name63) == name63);
  // The limit applies after cleaning: 82 bytes that clean down to 2 characters stay short.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "\xc3\xa9";
  CHECK(derive_vm_name(accents + "ab") == "ab");
}

TEST_CASE("derive_vm_name shortens long names with a hash of the original", "[vm_name]")
{
  // Expected suffixes are the first 6 hex digits of `printf %s NAME | sha256sum`.
  const std::string name64(64, 'q');
  CHECK(derive_vm_name(name64) == std::string(56, 'q') + "-ee8e65");

  std::string eighty;
  for (int i = 0; i < 8; ++i) eighty += "abcdefghij";
  REQUIRE(eighty.size() == 80);
  const auto derived = derive_vm_name(eighty);
  CHECK(derived == eighty.substr(0, 56) + "-d68d62");
  CHECK(derived->size() == 63);
  CHECK(mvh::sha256_hex(eighty).substr(0, 6) == "d68d62");

  // The hash is of the original basename (with its '.'), and a '-' at the cut is trimmed.
  CHECK(derive_vm_name(std::string(55, 'x') + "." + std::string(24, 'y')) ==
        std::string(55, 'x') + "-5702a5");
  CHECK(derive_vm_name(std::string(55, 'a') + "-" + std::string(30, 'b')) ==
        std::string(55, 'a') + "-389137");

  std::string spaced;
  for (int i = 0; i < 10; ++i) spaced += "My Repo ";
  CHECK(derive_vm_name(spaced) == "My-Repo-My-Repo-My-Repo-My-Repo-My-Repo-My-Repo-My-Repo-78a1c8");
}

TEST_CASE("every derived name is valid", "[vm_name]")
{
  for (const char* in : {"My Repo.v2", "__x__", "a\xc3\xa9", "$(rm -rf ~)", "-n"}) {
    const auto out = derive_vm_name(in);
    REQUIRE(out);
    CHECK(is_valid_vm_name(*out));
  }
}

TEST_CASE("is_valid_vm_name follows the NixOS host name pattern", "[vm_name]")
{
  CHECK(is_valid_vm_name("a"));
  CHECK(is_valid_vm_name("a_b-c"));
  CHECK(is_valid_vm_name(std::string(63, 'x')));
  CHECK_FALSE(is_valid_vm_name(""));
  CHECK_FALSE(is_valid_vm_name(std::string(64, 'x')));
  CHECK_FALSE(is_valid_vm_name("-a"));
  CHECK_FALSE(is_valid_vm_name("a-"));
  CHECK_FALSE(is_valid_vm_name("_a"));
  CHECK_FALSE(is_valid_vm_name("a_"));
  CHECK_FALSE(is_valid_vm_name("foo.nvim"));
  CHECK_FALSE(is_valid_vm_name("a b"));
  CHECK_FALSE(is_valid_vm_name("caf\xc3\xa9"));
}

namespace {
std::string check_message(const std::string& name)
{
  try {
    check_vm_name(name);
  } catch (const mvh::Error& e) {
    CHECK(e.code() == mvh::Exit::usage);
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("check_vm_name accepts valid names and explains invalid ones", "[vm_name]")
{
  CHECK_NOTHROW(check_vm_name("nixfiles"));
  CHECK_NOTHROW(check_vm_name(std::string(63, 'x')));
  CHECK(check_message("foo.nvim") ==
        "invalid VM name 'foo.nvim': use 1 to 63 letters, digits, '-' or '_', starting and "
        "ending with a letter or digit");
  CHECK(check_message("") ==
        "invalid VM name '': use 1 to 63 letters, digits, '-' or '_', starting and ending with "
        "a letter or digit");
  CHECK(check_message("-x") ==
        "invalid VM name '-x': use 1 to 63 letters, digits, '-' or '_', starting and ending "
        "with a letter or digit");
  CHECK(check_message(std::string(64, 'x')) ==
        "invalid VM name '" + std::string(64, 'x') +
            "': use 1 to 63 letters, digits, '-' or '_', starting and ending with a letter or "
            "digit");
}

TEST_CASE("check_vm_name keeps its message on one line", "[vm_name]")
{
  CHECK(check_message("a\nb") ==
        "invalid VM name 'a\\nb': use 1 to 63 letters, digits, '-' or '_', starting and ending "
        "with a letter or digit");
  CHECK(check_message(std::string("t\tx\x1b[2J\x7f", 8)) ==
        "invalid VM name 't\\tx\\x1b[2J\\x7f': use 1 to 63 letters, digits, '-' or '_', "
        "starting and ending with a letter or digit");
  CHECK(check_message("caf\xc3\xa9") ==
        "invalid VM name 'caf\xc3\xa9': use 1 to 63 letters, digits, '-' or '_', starting and "
        "ending with a letter or digit");
}
