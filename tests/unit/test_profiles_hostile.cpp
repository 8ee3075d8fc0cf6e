// Hostile profiles.nix input: nesting deep enough to exhaust the stack, and entry names that
// only a correctly escaped Nix string keeps intact (checked against the real nix-instantiate).
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "core/error.hpp"
#include "core/nix_lexer.hpp"
#include "core/profiles.hpp"
#include "nix_eval.hpp"
#include "profiles_fixtures.hpp"

using namespace mvh;

namespace {

std::string repeat(const std::string& s, int n)
{
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// `{ a = "${"${"…"}"}"; }` with n nested interpolations.
std::string nested_strings(int n)
{
  return "{ a = \"" + repeat("${\"", n) + repeat("\"}", n) + "\"; }\n";
}

// The first line of the Error parsing text throws ("" when it parses).
std::string first_error_line(const std::string& text)
{
  try {
    parse_profiles(text, "p.nix");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
    std::string msg = e.what();
    return msg.substr(0, msg.find('\n'));
  }
  return "";
}

}  // namespace

TEST_CASE("parse_profiles: nested string interpolations are bounded, not a stack overflow",
          "[profiles][hostile]")
{
  ProfilesFile f = parse_profiles(nested_strings(k_max_string_nesting), "p.nix");
  CHECK(f.needs_eval);  // `a` is a string, not a set: Nix has to say what it is

  // The first '${' too deep is the 257th, at byte 7 + 3 * 256 of line 1.
  const std::string want =
      "p.nix:1:776: '${' interpolations nested more than 256 levels deep; microvm-here does "
      "not read this far, move the inner parts into let bindings";
  CHECK(first_error_line(nested_strings(k_max_string_nesting + 1)) == want);
  // Deep enough to overflow an 8 MiB stack before the limit existed (ASan: ~5000 levels).
  CHECK(first_error_line(nested_strings(100000)) == want);
  // Paths interpolate too: ./a/${./a/${…}}; the 257th "${" is at byte 6 + 6 * 256 + 4.
  CHECK(first_error_line("{ a = " + repeat("./a/${", 300) + "1" + repeat("}", 300) + "; }") ==
        "p.nix:1:1547: '${' interpolations nested more than 256 levels deep; microvm-here does "
        "not read this far, move the inner parts into let bindings");
}

TEST_CASE("parse_profiles: deep brackets are skipped without recursion", "[profiles][hostile]")
{
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"(", ")"}, {"[", "]"}, {"{ b = ", "; }"}, {"let x = ", "; in x"}}) {
    INFO(open);
    const std::string text =
        "{ a = " + repeat(open, 100000) + "1" + repeat(close, 100000) + "; ok = { }; }";
    ProfilesFile f = parse_profiles(text, "p.nix");
    CHECK(f.editable);
    CHECK(f.entries.back().name == "ok");
  }
}

TEST_CASE("insert_profile: names Nix only takes quoted read back exactly, in real Nix too",
          "[profiles][hostile][nix]")
{
  const std::vector<std::string> names = {"a\"b",
                                          "back\\slash",
                                          "${x}",
                                          "$${x}",
                                          "a${b}c",
                                          "$",
                                          "trailing$",
                                          "line\nbreak",
                                          "cr\rx",
                                          "tab\tx",
                                          "it's",
                                          "''",
                                          "''${x}",
                                          "semi;colon",
                                          "$(rm -rf ~)",
                                          "`id`",
                                          "../..",
                                          "a/b",
                                          "caf\xc3\xa9",
                                          "rec",
                                          "or",
                                          "inherit",
                                          "1abc",
                                          "-lead",
                                          "",
                                          " ",
                                          "{ }",
                                          "#hash",
                                          "/* c */",
                                          "\\${x}",
                                          std::string(255, 'n')};
  std::string text = test::host_profiles;
  std::vector<ProfileEntry> want = parse_profiles(text, "p.nix").entries;
  int vsock = 2000;
  for (const std::string& name : names) {
    INFO("name [" << name << "]");
    ProfilesFile f = parse_profiles(text, "p.nix");
    REQUIRE(f.editable);
    const NewProfile p{name, "10.0.0.3", "microvm1", "02:00:00:00:00:02", ++vsock};
    const std::string out = insert_profile(text, f, p);
    CHECK(out.substr(0, f.insert_offset) == text.substr(0, f.insert_offset));
    CHECK(out.substr(out.size() - (text.size() - f.insert_offset)) == text.substr(f.insert_offset));
    ProfilesFile g = parse_profiles(out, "p.nix");
    REQUIRE(g.entries.size() == f.entries.size() + 1);
    CHECK(g.entries.back().name == name);
    CHECK_FALSE(g.needs_eval);  // an escaped "${" is text, not a dynamic name
    ProfileEntry e;
    e.name = name;
    e.ip_address = p.ip_address;
    e.tap_id = p.tap_id;
    e.mac = p.mac;
    e.vsock_cid = p.vsock_cid;
    want.push_back(e);
    text = out;
  }
  // One evaluation for all of them: every name is exactly one attribute, nothing interpolated.
  test::check_with_real_nix(text, want);
}
