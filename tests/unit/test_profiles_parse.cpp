#include "catch_compat.hpp"
#include "core/error.hpp"
#include "core/profiles.hpp"
#include "profiles_fixtures.hpp"

using namespace mvh;

namespace {

ProfilesFile parse(const std::string& text)
{
  return parse_profiles(text, "p.nix");
}

// The message of the Error that parsing text throws ("" when it parses).
std::string error_of(const std::string& text)
{
  try {
    parse_profiles(text, "/etc/p.nix");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
    return e.what();
  }
  return "";
}

// name is a plain C string: GCC >= 13 warns (-Wdangling-reference) when a function returning a
// reference is given a temporary std::string, even one the result does not refer to.
const ProfileEntry& find(const ProfilesFile& f, const char* name)
{
  for (const ProfileEntry& e : f.entries)
    if (e.name == name) return e;
  FAIL("no entry " << name);
  throw;
}

}  // namespace

TEST_CASE("parse_profiles: the HOST.md file", "[profiles]")
{
  ProfilesFile f = parse(test::host_profiles);
  REQUIRE(f.entries.size() == 2);
  const ProfileEntry& a = f.entries[0];
  CHECK(a.name == "alias-watch");
  CHECK(a.loc.line == 4);
  CHECK(a.loc.col == 3);
  CHECK(a.ip_address == "192.168.83.4");
  CHECK(a.tap_id == "microvm2");
  CHECK(a.mac == "02:00:00:00:00:03");
  CHECK(a.vsock_cid == 1004);
  CHECK(a.has_vsock_field);
  CHECK(f.entries[1].name == "nixfiles");
  CHECK(f.entries[1].loc.line == 11);
  CHECK(f.entries[1].vsock_cid == 1003);
  CHECK_FALSE(f.needs_eval);
  CHECK(f.editable);
  CHECK(f.entry_indent == "  ");
  CHECK(f.field_indent == "    ");
  CHECK(f.blank_line_between);
  CHECK(f.newline == "\n");
  CHECK(f.uses_vsock);
  CHECK(f.open_offset == test::host_profiles.find("\n{\n") + 1);
  CHECK(f.insert_offset == test::host_profiles.size() - 2);  // start of the last line "}\n"
}

TEST_CASE("parse_profiles: comments, strings and interpolations hide braces and semicolons",
          "[profiles]")
{
  ProfilesFile f = parse(R"NIX(# top comment { ; }
{ lib ? null, ... }: /* block { comment ; " */
{
  # a = { ipAddress = "1.1.1.1"; };
  vm1 = { # trailing } comment
    workspace = "/a;b}c{";
    extraZshInit = "echo ${ let x = { a = "}"; b = { c = ";"; }; }; in x.a } \" \${not} $${x}";
    ipAddress = /* inline } */ "192.168.83.3";
    shell = ''
      echo "}" ${lib.concatStrings [ "{" ]} ''${x} ''' ''\n $${y}
    '';
    tapId = "microvm1"; mac = "02:00:00:00:00:02";
  };
}
)NIX");
  REQUIRE(f.entries.size() == 1);
  const ProfileEntry& e = f.entries[0];
  CHECK(e.name == "vm1");
  CHECK(e.loc.line == 5);
  CHECK(e.ip_address == "192.168.83.3");
  CHECK(e.tap_id == "microvm1");
  CHECK(e.mac == "02:00:00:00:00:02");
  CHECK_FALSE(e.has_vsock_field);
  CHECK_FALSE(f.uses_vsock);
  CHECK_FALSE(f.needs_eval);
  CHECK(f.editable);
}

TEST_CASE("parse_profiles: unknown fields of any shape, in any order", "[profiles]")
{
  ProfilesFile f = parse(R"NIX({ ... }:
{
  b = {
    extraModules = [ ./b.nix ../shared/x.nix /abs/path.nix ~/home.nix <nixpkgs/lib> ];
    relativeMounts = [ { source = "a"; target = "/b"; } ];
    vsockCid = null;
    autostart = true && !false || 1 < 2 -> 3.5e2 >= 2;
    overlaySizeMiB = 1024 * 2 / 1;
    mac = "02:00:00:00:00:05";
    url = https://example.org/x?y=z;
    hostSshKeyDir = let d = "/k"; with builtins; in d;
    x = with builtins; assert true; map (v: v + 1) [ 1 2 ];
    nested.deep.attr = { inherit (builtins) map; "q" = rec { a = 1; b = a; }; };
    ipAddress = "192.168.83.6";
    tapId = "microvm4";
    extraZshInit = (import ./z.nix { inherit lib; }).text or "";
  };
}
)NIX");
  REQUIRE(f.entries.size() == 1);
  const ProfileEntry& e = f.entries[0];
  CHECK(e.ip_address == "192.168.83.6");
  CHECK(e.tap_id == "microvm4");
  CHECK(e.mac == "02:00:00:00:00:05");
  CHECK(e.has_vsock_field);
  CHECK_FALSE(e.vsock_cid);
  CHECK(f.uses_vsock);
  CHECK_FALSE(f.needs_eval);
}

TEST_CASE("parse_profiles: quoted and unquoted keys", "[profiles]")
{
  ProfilesFile f = parse(
      "{\n  \"with\" = { tapId = \"t1\"; };\n  \"a\\\"b\" = { \"ipAddress\" = \"1.2.3.4\"; };\n"
      "  c'-_ = { };\n  or = { };\n}\n");
  REQUIRE(f.entries.size() == 4);
  CHECK(f.entries[0].name == "with");
  CHECK(f.entries[0].tap_id == "t1");
  CHECK(f.entries[1].name == "a\"b");
  CHECK(f.entries[1].ip_address == "1.2.3.4");
  CHECK(f.entries[2].name == "c'-_");
  CHECK(f.entries[3].name == "or");
  CHECK_FALSE(f.entries[3].ip_address);
}

TEST_CASE("parse_profiles: function headers", "[profiles]")
{
  for (const char* header :
       {"", "{ }:", "{ ... }:", "{ lib, ... }:", "args:", "args@{ lib ? {}, ... }:",
        "{ lib, pkgs ? import <nixpkgs> { }, ... }@args:", "{ }: { x ? 1 }:"}) {
    INFO(header);
    ProfilesFile f = parse(std::string(header) + "\n{\n  a = { ipAddress = \"10.0.0.3\"; };\n}\n");
    REQUIRE(f.entries.size() == 1);
    CHECK(f.entries[0].ip_address == "10.0.0.3");
    CHECK(f.editable);
    CHECK_FALSE(f.needs_eval);
  }
}

TEST_CASE("parse_profiles: let-in, with and assert before the set", "[profiles]")
{
  ProfilesFile f = parse(
      "{ lib, ... }:\nlet\n  base = \"192.168.83\";\n  inherit (lib) mkIf;\n  f = let y = 1; in "
      "y;\nin\n"
      "with lib;\n{\n  a = { ipAddress = \"192.168.83.3\"; };\n  b = { ipAddress = \"${base}.4\"; "
      "};\n}\n");
  REQUIRE(f.entries.size() == 2);
  CHECK(f.entries[0].ip_address == "192.168.83.3");
  CHECK_FALSE(f.entries[1].ip_address);
  CHECK(f.needs_eval == "10:21: 'b.ipAddress' is not a literal string");
  CHECK(f.editable);
}

TEST_CASE("parse_profiles: CRLF keeps the newline style, lines and columns ignore CR", "[profiles]")
{
  std::string t = "{ }:\r\n\r\n{\r\n  vm = {\r\n    ipAddress = \"10.0.0.3\";\r\n  };\r\n}\r\n";
  ProfilesFile f = parse(t);
  CHECK(f.newline == "\r\n");
  REQUIRE(f.entries.size() == 1);
  CHECK(f.entries[0].loc.line == 4);
  CHECK(f.entries[0].loc.col == 3);
  CHECK(f.entry_indent == "  ");
  CHECK(f.field_indent == "    ");
  CHECK(f.insert_offset == t.size() - 3);
  CHECK(error_of("{\r\n  a = {\r\n    ipAddress = \"x\"\r\n  };\r\n}\r\n") ==
        "/etc/p.nix:3:20: expected ';' after attribute value\n    ipAddress = \"x\"\n"
        "                   ^");
}

TEST_CASE("parse_profiles: no trailing newline, empty sets", "[profiles]")
{
  ProfilesFile f = parse("{ a = { tapId = \"microvm1\"; }; }");
  REQUIRE(f.entries.size() == 1);
  CHECK(f.entries[0].tap_id == "microvm1");
  CHECK(f.insert_offset == 31);  // at the '}' itself: it shares its line
  ProfilesFile g = parse("{\n  a = { };\n}");
  CHECK(g.insert_offset == 13);

  ProfilesFile e1 = parse("{ }");
  CHECK(e1.entries.empty());
  CHECK(e1.editable);
  CHECK(e1.insert_offset == 2);
  ProfilesFile e2 = parse("{ }:\n{\n}\n");
  CHECK(e2.entries.empty());
  CHECK(e2.insert_offset == 7);
  CHECK(e2.entry_indent == "  ");
  CHECK(e2.field_indent == "    ");
  CHECK(e2.blank_line_between);
}

TEST_CASE("parse_profiles: detects indentation and spacing", "[profiles]")
{
  ProfilesFile tabs = parse("{\n\ta = {\n\t\tipAddress = \"1.1.1.1\";\n\t};\n\tb = {\n\t};\n}\n");
  CHECK(tabs.entry_indent == "\t");
  CHECK(tabs.field_indent == "\t\t");
  CHECK_FALSE(tabs.blank_line_between);
  ProfilesFile four = parse("{\n    a = { x = 1; };\n\n    b = { x = 1; };\n}\n");
  CHECK(four.entry_indent == "    ");
  CHECK(four.field_indent == "        ");  // entries are one-liners: one more indent step
  CHECK(four.blank_line_between);
  ProfilesFile dotted = parse(
      "{\n  a.ipAddress = \"10.0.0.3\";\n  a.tapId = \"microvm1\";\n\n  b.ipAddress = "
      "\"10.0.0.4\";\n}\n");
  CHECK(dotted.blank_line_between);  // gaps inside one entry's dotted keys do not count
}

TEST_CASE("parse_profiles: dotted keys are read and merge like Nix merges them", "[profiles]")
{
  ProfilesFile f = parse(
      "{\n  foo.ipAddress = \"10.0.0.3\";\n  foo.tapId = \"microvm1\";\n  bar = { mac = "
      "\"02:00:00:00:00:09\"; };\n"
      "  foo = { mac = \"02:00:00:00:00:02\"; };\n  bar.vsockCid = 7;\n  foo.other.x = 1;\n}\n");
  REQUIRE(f.entries.size() == 2);
  const ProfileEntry& foo = find(f, "foo");
  CHECK(foo.loc.line == 2);
  CHECK(foo.ip_address == "10.0.0.3");
  CHECK(foo.tap_id == "microvm1");
  CHECK(foo.mac == "02:00:00:00:00:02");
  CHECK(find(f, "bar").vsock_cid == 7);
  CHECK_FALSE(f.needs_eval);
}

TEST_CASE("parse_profiles: needs_eval for values the parser cannot read", "[profiles]")
{
  auto eval_of = [](const std::string& t) { return parse(t).needs_eval.value_or("(none)"); };
  CHECK(eval_of("{ a = { ipAddress = prefix + \"5\"; }; }") ==
        "1:21: 'a.ipAddress' is not a literal string");
  CHECK(eval_of("{ a = { ipAddress = \"10.0.0.\" + \"5\"; }; }") ==
        "1:21: 'a.ipAddress' is not a literal string");
  CHECK(eval_of("{ a = { mac = ''02:00:00:00:00:02''; }; }") ==
        "1:15: 'a.mac' is not a literal string");
  CHECK(eval_of("{ a = { vsockCid = -1; }; }") ==
        "1:20: 'a.vsockCid' is not an integer or null literal");
  CHECK(eval_of("{ a = { vsockCid = 1000 + 3; }; }") ==
        "1:20: 'a.vsockCid' is not an integer or null literal");
  CHECK(eval_of("{\n  inherit (import ./more.nix) b;\n}") == "2:3: 'inherit' at top level");
  CHECK(eval_of("{ a = { inherit ipAddress; }; }") == "1:17: 'inherit' of 'a.ipAddress'");
  CHECK(eval_of("{ a = { inherit (x) workspace; }; }") == "(none)");
  CHECK(eval_of("{ a = mkVm { ipAddress = \"1.1.1.1\"; }; }") ==
        "1:7: 'a' is not an attribute set literal");
  CHECK(eval_of("{ a = { } // { ipAddress = \"1.1.1.1\"; }; }") ==
        "1:7: 'a' is not an attribute set literal");
  CHECK(eval_of("{ ${x} = { }; }") == "1:3: dynamic attribute name");
  CHECK(eval_of("{ \"vm${x}\" = { }; }") == "1:3: dynamic attribute name");
  CHECK(eval_of("{ a.ipAddress.x = 1; }") == "1:3: 'a.ipAddress.x' sets part of a profile field");
  CHECK(eval_of("{ }:\nimport ./real.nix") == "2:1: top level is not an attribute set literal");
  CHECK(eval_of("lib.mkMerge [ { } ]") == "1:1: top level is not an attribute set literal");
  CHECK(eval_of("{ a = { }; } // import ./more.nix") ==
        "1:14: expression after the top-level attribute set");
  CHECK_FALSE(parse("{ a = { }; } // { }").editable);
  CHECK_FALSE(parse("import ./x.nix").editable);
  CHECK(parse("let x = 1; in { a = { }; }").editable);
}

TEST_CASE("parse_profiles: syntax errors name path:line:col and show a caret", "[profiles]")
{
  CHECK(error_of("{\n  a = {\n    ipAddress = \"192.168.83.3;\n  };\n}\n") ==
        "/etc/p.nix:3:17: unterminated string\n    ipAddress = \"192.168.83.3;\n                ^");
  CHECK(error_of(
            "{\n  a = {\n    ipAddress = \"192.168.83.3\"\n    tapId = \"microvm1\";\n  };\n}\n") ==
        "/etc/p.nix:3:31: expected ';' after attribute value\n"
        "    ipAddress = \"192.168.83.3\"\n                              ^");
  CHECK(error_of("{\n  a = {\n    tapId = \"t\";\n  }\n  b = { };\n}\n") ==
        "/etc/p.nix:4:4: expected ';' after attribute value\n  }\n   ^");
  CHECK(error_of("{\n  a = { }\n}\n") ==
        "/etc/p.nix:2:10: expected ';' after attribute value\n  a = { }\n         ^");
  CHECK(error_of("{ }:\n\n{\n  a = {\n    x = 1;\n  };\n") ==
        "/etc/p.nix:6:5: unexpected end of file: missing '}' for the '{' at 3:1\n  };\n    ^");
  CHECK(error_of("{\n  a = { };\n  b = { };\n  a = 5;\n}\n") ==
        "/etc/p.nix:4:3: attribute 'a' already defined at 2:3\n  a = 5;\n  ^");
  CHECK(error_of("{\n  a = { mac = \"1\"; };\n  a.mac = \"2\";\n}\n") ==
        "/etc/p.nix:3:3: attribute 'a.mac' already defined at 2:9\n  a.mac = \"2\";\n  ^");
  CHECK(error_of("{\n  a = import ./a.nix;\n  a.tapId = \"t\";\n}") ==
        "/etc/p.nix:3:3: attribute 'a.tapId' already defined at 2:3\n  a.tapId = \"t\";\n  ^");
  CHECK(error_of("{ /* never closed\n}") ==
        "/etc/p.nix:1:3: unterminated comment\n{ /* never closed\n  ^");
  CHECK(error_of("{\n\ta = { x = 1 % 2; };\n}") ==
        "/etc/p.nix:2:14: unexpected character '%'\n\ta = { x = 1 % 2; };\n\t            ^");
  CHECK(error_of("{ a { }; }") == "/etc/p.nix:1:4: expected '=' after 'a'\n{ a { }; }\n   ^");
  CHECK(error_of("{ 1 = { }; }") ==
        "/etc/p.nix:1:3: unexpected '1': expected an attribute name\n{ 1 = { }; }\n  ^");
  CHECK(error_of("{ a = [ 1 2 ); }") ==
        "/etc/p.nix:1:13: unexpected ')': expected ']' for the '[' at 1:7\n{ a = [ 1 2 ); }\n      "
        "      ^");
  CHECK(error_of("{ a = \"${ { }\"; }") ==  // the second quote opens a string inside ${ }
        "/etc/p.nix:1:14: unterminated string\n{ a = \"${ { }\"; }\n             ^");
  CHECK(error_of("{ a = \"${ x\n\n") ==
        "/etc/p.nix:1:12: unexpected end of file: missing '}' for the '${' at 1:8\n{ a = \"${ x\n"
        "           ^");
  CHECK(error_of("") == "/etc/p.nix:1:1: unexpected end of file: expected an attribute set\n\n^");
  CHECK(error_of("{ } }") == "/etc/p.nix:1:5: unexpected '}'\n{ } }\n    ^");
  CHECK(error_of("{ a = { b = 1; }; } x = 1;") ==
        "/etc/p.nix:1:23: unexpected '='\n{ a = { b = 1; }; } x = 1;\n                      ^");
  CHECK(error_of("{ a = b = 1; }") == "/etc/p.nix:1:9: unexpected '='\n{ a = b = 1; }\n        ^");
  CHECK(error_of("{ a = f x\n  b.c = 1; }") ==
        "/etc/p.nix:1:10: expected ';' after attribute value\n{ a = f x\n         ^");
  CHECK(error_of("{ a = { vsockCid = 99999999999999999999; }; }") ==
        "/etc/p.nix:1:20: invalid integer '99999999999999999999'\n"
        "{ a = { vsockCid = 99999999999999999999; }; }\n                   ^");
}

TEST_CASE("profiles_from_json reads nix-instantiate output", "[profiles]")
{
  auto v = profiles_from_json(
      R"({"alias-watch":{"ipAddress":"192.168.83.4","mac":"02:00:00:00:00:03","tapId":"microvm2","vsockCid":1004,)"
      R"("extraModules":["/nix/store/x-a.nix"]},"b":{"ipAddress":null,"vsockCid":null},"c":{}})",
      "/p.nix");
  REQUIRE(v.size() == 3);
  CHECK(v[0].name == "alias-watch");
  CHECK(v[0].ip_address == "192.168.83.4");
  CHECK(v[0].tap_id == "microvm2");
  CHECK(v[0].mac == "02:00:00:00:00:03");
  CHECK(v[0].vsock_cid == 1004);
  CHECK(v[0].has_vsock_field);
  CHECK_FALSE(v[1].ip_address);
  CHECK(v[1].has_vsock_field);
  CHECK_FALSE(v[1].vsock_cid);
  CHECK_FALSE(v[2].has_vsock_field);
  CHECK(v[0].loc.line == 0);

  const std::string tail = "; /p.nix must evaluate to an attribute set of profiles";
  CHECK_THROWS_WITH(
      profiles_from_json("[1]", "/p.nix"),
      "cannot read the profiles of /p.nix from nix-instantiate: the value is a array, "
      "not an attribute set" +
          tail);
  CHECK_THROWS_WITH(
      profiles_from_json("{\"a\":5}", "/p.nix"),
      "cannot read the profiles of /p.nix from nix-instantiate: 'a' is a number, not an "
      "attribute set" +
          tail);
  CHECK_THROWS_WITH(
      profiles_from_json("{\"a\":{\"tapId\":3}}", "/p.nix"),
      "cannot read the profiles of /p.nix from nix-instantiate: 'a.tapId' is not a string" + tail);
  CHECK_THROWS_WITH(
      profiles_from_json("{\"a\":{\"vsockCid\":\"x\"}}", "/p.nix"),
      "cannot read the profiles of /p.nix from nix-instantiate: 'a.vsockCid' is not an "
      "integer or null" +
          tail);
  CHECK_THROWS_WITH(
      profiles_from_json("{", "/p.nix"),
      "cannot read the profiles of /p.nix from nix-instantiate: its output is not valid JSON" +
          tail);
  try {
    profiles_from_json("{", "/p.nix");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
  }
}

TEST_CASE("parse_profiles: control bytes in the shown line are escaped, the caret follows",
          "[profiles]")
{
  CHECK(error_of(std::string("{\0\x1b = 1; }", 10)) ==
        "/etc/p.nix:1:2: unexpected character byte 0\n{\\x00\\x1b = 1; }\n ^");
  CHECK(error_of(std::string("{\x1b\xc2\x9b = 1; }")) ==
        "/etc/p.nix:1:2: unexpected character byte 27\n{\\x1b\\u009b = 1; }\n ^");
}
