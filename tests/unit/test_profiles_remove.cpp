// remove_profile: the entry's bindings go, every other byte stays, the result parses (ours and
// real Nix) to the other entries.
#include "catch_compat.hpp"

#include "core/error.hpp"
#include "core/profiles.hpp"
#include "nix_eval.hpp"
#include "profiles_fixtures.hpp"

using namespace mvh;

namespace {

std::string removed(const std::string& text, const std::string& name)
{
  ProfilesFile f = parse_profiles(text, "in.nix");
  std::string out = remove_profile(text, f, name);
  INFO("result:\n" << out);
  ProfilesFile after = parse_profiles(out, "in.nix");
  CHECK(after.entries.size() + 1 == f.entries.size());
  std::vector<ProfileEntry> rest;
  for (const auto& e : f.entries)
    if (e.name != name) rest.push_back(e);
  test::check_with_real_nix(out, rest);
  return out;
}

}  // namespace

TEST_CASE("remove_profile cuts an entry and its blank line", "[profiles][nix]")
{
  CHECK(removed(test::host_profiles, "alias-watch") ==
        "{ }:\n"
        "\n"
        "{\n"
        "  nixfiles = {\n"
        "    ipAddress = \"192.168.83.3\";\n"
        "    tapId = \"microvm1\";\n"
        "    mac = \"02:00:00:00:00:02\";\n"
        "    vsockCid = 1003;\n"
        "  };\n"
        "}\n");
  CHECK(removed(test::host_profiles, "nixfiles") ==
        "{ }:\n"
        "\n"
        "{\n"
        "  \"alias-watch\" = {\n"
        "    ipAddress = \"192.168.83.4\";\n"
        "    tapId = \"microvm2\";\n"
        "    mac = \"02:00:00:00:00:03\";\n"
        "    vsockCid = 1004;\n"
        "  };\n"
        "}\n");
}

TEST_CASE("remove_profile keeps comments, other entries and CRLF, and cuts dotted bindings",
          "[profiles][nix]")
{
  const std::string text =
      "{\r\n  # first\r\n  a = { ipAddress = \"10.0.0.3\"; };\r\n\r\n  b = { mac = \"x\"; };\r\n"
      "  a.tapId = \"microvm1\"; # a's tap\r\n\r\n  c = { tapId = \"t\"; };\r\n}\r\n";
  CHECK(removed(text, "a") ==
        "{\r\n  # first\r\n\r\n  b = { mac = \"x\"; };\r\n  # a's tap\r\n\r\n  c = { tapId = "
        "\"t\"; };"
        "\r\n}\r\n");
  CHECK(removed(text, "c") ==
        "{\r\n  # first\r\n  a = { ipAddress = \"10.0.0.3\"; };\r\n\r\n  b = { mac = \"x\"; };\r\n"
        "  a.tapId = \"microvm1\"; # a's tap\r\n}\r\n");
}

TEST_CASE("remove_profile on one line, and the last entry", "[profiles][nix]")
{
  CHECK(removed("{ a = { mac = \"m\"; }; b = { mac = \"n\"; }; }", "a") ==
        "{ b = { mac = \"n\"; }; }");
  CHECK(removed("{ a = { mac = \"m\"; }; b = { mac = \"n\"; }; }", "b") ==
        "{ a = { mac = \"m\"; }; }");
  CHECK(removed("{\n  only = { mac = \"m\"; };\n}\n", "only") == "{\n}\n");
  CHECK(removed("args: let x = 1; in {\n  \"a.b\" = { mac = \"m\"; };\n  c = { };\n}\n", "a.b") ==
        "args: let x = 1; in {\n  c = { };\n}\n");
}

TEST_CASE("remove_profile refuses what it cannot find", "[profiles]")
{
  ProfilesFile f = parse_profiles(test::host_profiles, "in.nix");
  CHECK_THROWS_WITH(remove_profile(test::host_profiles, f, "nope"),
                    "cannot remove profile 'nope': the profiles file has no literal top-level "
                    "binding of it");
  const std::string dyn = "{ \"${x}\" = { }; }";
  ProfilesFile g = parse_profiles(dyn, "in.nix");
  CHECK_THROWS_AS(remove_profile(dyn, g, "x"), Error);
}
