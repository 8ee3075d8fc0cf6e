#include "catch_compat.hpp"
#include "core/error.hpp"
#include "core/profiles.hpp"
#include "nix_eval.hpp"
#include "profiles_fixtures.hpp"

using namespace mvh;

namespace {

ProfileEntry entry(const std::string& name, const std::string& ip, const std::string& tap,
                   const std::string& mac, std::optional<std::int64_t> cid)
{
  ProfileEntry e;
  e.name = name;
  e.ip_address = ip;
  e.tap_id = tap;
  e.mac = mac;
  e.vsock_cid = cid;
  return e;
}

NewProfile foo(std::optional<std::int64_t> cid = 1005)
{
  return NewProfile{"foo", "192.168.83.5", "microvm3", "02:00:00:00:00:04", cid};
}

// Inserts p into text and checks what every insert must satisfy: the result is text with one
// run of bytes added at a single offset, it parses again with the new entry last and the old
// ones unchanged, and real Nix evaluates it to the old entries plus the new one.
std::string insert_checked(const std::string& text, const NewProfile& p)
{
  ProfilesFile before = parse_profiles(text, "in.nix");
  REQUIRE(before.editable);
  std::string out = insert_profile(text, before, p);
  INFO("result:\n" << out);
  REQUIRE(out.size() > text.size());
  std::size_t prefix = 0;
  while (prefix < text.size() && out[prefix] == text[prefix]) ++prefix;
  CHECK(out.compare(out.size() - (text.size() - prefix), std::string::npos, text, prefix) == 0);
  CHECK(prefix >= before.insert_offset);
  CHECK(out.substr(0, before.insert_offset) == text.substr(0, before.insert_offset));

  ProfilesFile after = parse_profiles(out, "out.nix");
  REQUIRE(after.entries.size() == before.entries.size() + 1);
  CHECK_FALSE(after.needs_eval);
  const ProfileEntry& added = after.entries.back();
  CHECK(added.name == p.name);
  CHECK(added.ip_address == p.ip_address);
  CHECK(added.tap_id == p.tap_id);
  CHECK(added.mac == p.mac);
  CHECK(added.vsock_cid == p.vsock_cid);
  CHECK(added.has_vsock_field == p.vsock_cid.has_value());

  std::vector<ProfileEntry> expected = before.entries;
  expected.push_back(entry(p.name, p.ip_address, p.tap_id, p.mac, p.vsock_cid));
  test::check_with_real_nix(out, expected);
  return out;
}

}  // namespace

TEST_CASE("insert_profile: the HOST.md file gets the entry in its own style", "[profiles]")
{
  std::string out = insert_checked(test::host_profiles, foo());
  CHECK(out == test::host_profiles.substr(0, test::host_profiles.size() - 2) +
                   "\n"
                   "  foo = {\n"
                   "    ipAddress = \"192.168.83.5\";\n"
                   "    tapId = \"microvm3\";\n"
                   "    mac = \"02:00:00:00:00:04\";\n"
                   "    vsockCid = 1005;\n"
                   "  };\n"
                   "}\n");
  // Twice in a row: the second entry follows the first in the same style.
  NewProfile bar{"bar-2", "192.168.83.6", "microvm4", "02:00:00:00:00:05", 1006};
  std::string twice = insert_checked(out, bar);
  CHECK(twice == out.substr(0, out.size() - 2) +
                     "\n  bar-2 = {\n    ipAddress = \"192.168.83.6\";\n    tapId = \"microvm4\";\n"
                     "    mac = \"02:00:00:00:00:05\";\n    vsockCid = 1006;\n  };\n}\n");
}

TEST_CASE("insert_profile: vsockCid only when set", "[profiles]")
{
  std::string out = insert_checked("{ }:\n{\n  a = {\n    ipAddress = \"192.168.83.3\";\n  };\n}\n",
                                   foo(std::nullopt));
  CHECK(out ==
        "{ }:\n{\n  a = {\n    ipAddress = \"192.168.83.3\";\n  };\n\n  foo = {\n"
        "    ipAddress = \"192.168.83.5\";\n    tapId = \"microvm3\";\n"
        "    mac = \"02:00:00:00:00:04\";\n  };\n}\n");
}

TEST_CASE("insert_profile: empty sets become nicely indented", "[profiles]")
{
  const std::string block =
      "  foo = {\n    ipAddress = \"192.168.83.5\";\n    tapId = \"microvm3\";\n"
      "    mac = \"02:00:00:00:00:04\";\n    vsockCid = 1005;\n  };\n";
  CHECK(insert_checked("{ }:\n\n{\n}\n", foo()) == "{ }:\n\n{\n" + block + "}\n");
  CHECK(insert_checked("{ }:\n{ }\n", foo()) == "{ }:\n{ \n" + block + "}\n");
  CHECK(insert_checked("{}", foo()) == "{\n" + block + "}");
  CHECK(insert_checked("{ ... }: {\n}", foo()) == "{ ... }: {\n" + block + "}");
}

TEST_CASE("insert_profile: CRLF files stay CRLF", "[profiles]")
{
  std::string t = "{ }:\r\n\r\n{\r\n  a = {\r\n    ipAddress = \"192.168.83.3\";\r\n  };\r\n}\r\n";
  CHECK(insert_checked(t, foo()) ==
        "{ }:\r\n\r\n{\r\n  a = {\r\n    ipAddress = \"192.168.83.3\";\r\n  };\r\n\r\n  foo = {\r\n"
        "    ipAddress = \"192.168.83.5\";\r\n    tapId = \"microvm3\";\r\n"
        "    mac = \"02:00:00:00:00:04\";\r\n    vsockCid = 1005;\r\n  };\r\n}\r\n");
}

TEST_CASE("insert_profile: no trailing newline, closing brace after the last entry", "[profiles]")
{
  CHECK(insert_checked("{\n  a = { tapId = \"microvm1\"; };\n}", foo(std::nullopt)) ==
        "{\n  a = { tapId = \"microvm1\"; };\n\n  foo = {\n    ipAddress = \"192.168.83.5\";\n"
        "    tapId = \"microvm3\";\n    mac = \"02:00:00:00:00:04\";\n  };\n}");
  CHECK(insert_checked("{\n  a = {\n    tapId = \"microvm1\";\n  };}", foo(std::nullopt)) ==
        "{\n  a = {\n    tapId = \"microvm1\";\n  };\n\n  foo = {\n    ipAddress = "
        "\"192.168.83.5\";\n"
        "    tapId = \"microvm3\";\n    mac = \"02:00:00:00:00:04\";\n  };\n}");
}

TEST_CASE("insert_profile: trailing comments stay before the new entry", "[profiles]")
{
  std::string t =
      "{\n  a = {\n    tapId = \"microvm1\";\n  };\n\n  # b = { tapId = \"microvm2\"; };\n"
      "  /* the end */\n}\n";
  CHECK(insert_checked(t, foo(std::nullopt)) ==
        t.substr(0, t.size() - 2) +
            "\n  foo = {\n    ipAddress = \"192.168.83.5\";\n    tapId = \"microvm3\";\n"
            "    mac = \"02:00:00:00:00:04\";\n  };\n}\n");
  // An existing blank line before the closing brace is not doubled.
  std::string blank = "{\n  a = { };\n\n}\n";
  CHECK(insert_checked(blank, foo(std::nullopt)) ==
        "{\n  a = { };\n\n  foo = {\n    ipAddress = \"192.168.83.5\";\n    tapId = \"microvm3\";\n"
        "    mac = \"02:00:00:00:00:04\";\n  };\n}\n");
}

TEST_CASE("insert_profile: follows tabs, wide indents and tight spacing", "[profiles]")
{
  CHECK(
      insert_checked("{\n\ta = {\n\t\tmac = \"m\";\n\t};\n\tb = {\n\t};\n}\n", foo(7)) ==
      "{\n\ta = {\n\t\tmac = \"m\";\n\t};\n\tb = {\n\t};\n\tfoo = {\n\t\tipAddress = "
      "\"192.168.83.5\";\n"
      "\t\ttapId = \"microvm3\";\n\t\tmac = \"02:00:00:00:00:04\";\n\t\tvsockCid = 7;\n\t};\n}\n");
  CHECK(insert_checked("let\n  x = 1;\nin {\n    a = { };\n  }\n", foo(std::nullopt)) ==
        "let\n  x = 1;\nin {\n    a = { };\n\n    foo = {\n        ipAddress = \"192.168.83.5\";\n"
        "        tapId = \"microvm3\";\n        mac = \"02:00:00:00:00:04\";\n    };\n  }\n");
}

TEST_CASE("insert_profile: quotes the name only when Nix needs it", "[profiles]")
{
  NewProfile p = foo(std::nullopt);
  p.name = "alias-watch";
  CHECK(insert_checked("{ }:\n{\n}\n", p).find("\n  alias-watch = {\n") != std::string::npos);
  for (const char* name : {"with", "or", "1vm", "a.b", "vm${x}"}) {
    p.name = name;
    std::string out = insert_checked("{ }:\n{\n}\n", p);
    CHECK(out.find("\n  " + nix_attr_name(name) + " = {\n") != std::string::npos);
  }
}

TEST_CASE("insert_profile: refuses a file that is not an attribute set literal", "[profiles]")
{
  std::string t = "import ./x.nix";
  ProfilesFile f = parse_profiles(t, "p.nix");
  CHECK_THROWS_WITH(insert_profile(t, f, foo()),
                    "cannot add profile 'foo': the profiles file has no attribute set literal to "
                    "add it to");
}

TEST_CASE("nix_attr_name and nix_string", "[profiles]")
{
  CHECK(nix_attr_name("nixfiles") == "nixfiles");
  CHECK(nix_attr_name("alias-watch") == "alias-watch");
  CHECK(nix_attr_name("a_b'c-1") == "a_b'c-1");
  CHECK(nix_attr_name("_x") == "_x");
  for (const char* kw :
       {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"})
    CHECK(nix_attr_name(kw) == "\"" + std::string(kw) + "\"");
  CHECK(nix_attr_name("1vm") == "\"1vm\"");
  CHECK(nix_attr_name("-vm") == "\"-vm\"");
  CHECK(nix_attr_name("a.b") == "\"a.b\"");
  CHECK(nix_attr_name("") == "\"\"");
  CHECK(nix_string("a${b}") == "\"a\\${b}\"");
  CHECK(nix_string("\"q\" \\ $x $${y}\n\t\r") == "\"\\\"q\\\" \\\\ $x $\\${y}\\n\\t\\r\"");
}

TEST_CASE("nix_string round-trips through real Nix", "[profiles]")
{
  const std::string tricky = "\"q\" \\ $x $${y} ${z} '' \n\t\r end$";
  // The parser decodes what nix_string writes back to the same bytes.
  ProfilesFile f = parse_profiles("{ a = { mac = " + nix_string(tricky) + "; }; }", "p.nix");
  CHECK(f.entries.at(0).mac == tricky);
  if (!test::nix_available_or_skip()) return;
  std::string file = test::write_temp_file(nix_string(tricky) + "\n", "s.nix");
  test::NixEval r = test::nix_eval("import " + file);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out == "\"\\\"q\\\" \\\\ $x $${y} ${z} '' \\n\\t\\r end$\"");
}
