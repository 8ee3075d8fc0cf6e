// The native parser against the real nix-instantiate on the fuzz seed corpus and on the shapes
// the parser claims to read: where it reads values literally they must be the values Nix sees.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catch_compat.hpp"
#include "core/profiles.hpp"
#include "nix_eval.hpp"

using namespace mvh;

namespace {

std::string read_file(const std::filesystem::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("parse_profiles agrees with nix-instantiate on the seed corpus", "[profiles][nix]")
{
  std::vector<std::filesystem::path> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(MVH_SOURCE_DIR) + "/tests/fuzz/corpus"))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  int literal = 0;
  for (const auto& path : files) {
    INFO(path);
    ProfilesFile f = parse_profiles(read_file(path), path.string());
    if (!f.needs_eval) {
      ++literal;
      test::check_with_real_nix(read_file(path), f.entries);
    } else if (f.editable && test::nix_available_or_skip()) {
      // Values are not all literal, but the entry names are.
      test::NixEval r = test::nix_eval_profiles(path.string());
      INFO(r.err);
      REQUIRE(r.status == 0);
      std::vector<ProfileEntry> got = profiles_from_json(r.out, path.string());
      REQUIRE(got.size() == f.entries.size());
      for (const ProfileEntry& e : f.entries)
        CHECK(std::any_of(got.begin(), got.end(),
                          [&](const ProfileEntry& g) { return g.name == e.name; }));
    }
  }
  CHECK(literal >= 8);
}

TEST_CASE("parse_profiles agrees with nix-instantiate on headers and merges", "[profiles][nix]")
{
  const std::string body =
      "{\n  a = { ipAddress = \"10.0.0.3\"; vsockCid = 5; };\n  a.tapId = \"microvm1\";\n"
      "  \"b-c\" = rec { mac = \"02:00:00:00:00:0A\"; x = mac; };\n  b-c.vsockCid = null;\n"
      "  a = { mac = \"m\"; };\n}\n";
  for (const char* header :
       {"", "{ }:", "{ ... }:", "{ lib ? null, ... }:", "args:", "args@{ ... }:", "{ ... }@args:",
        "let x = { a = 1; }; in with x; assert a == 1;"}) {
    INFO(header);
    std::string text = std::string(header) + "\n" + body;
    ProfilesFile f = parse_profiles(text, "p.nix");
    CHECK_FALSE(f.needs_eval);
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].mac == "m");
    test::check_with_real_nix(text, f.entries);
  }
}
