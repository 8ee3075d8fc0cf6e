#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "core/profile_names_cache.hpp"

using mvh::parse_names_cache;
using mvh::ProfilesKey;
using mvh::render_names_cache;

namespace {

const ProfilesKey key{"/n/profiles.nix",        2049, 131, 812, 1'700'000'000'123'456'789,
                      1'700'000'001'000'000'001};
const std::vector<std::string> names{"foo", "bar-2", "with\nnewline", ""};

}  // namespace

TEST_CASE("names cache: what is rendered reads back for the same key")
{
  auto text = render_names_cache(key, names);
  CHECK(text.rfind("microvm-here profile-names 1\n15:/n/profiles.nix\n2049\n131\n812\n", 0) == 0);
  CHECK(parse_names_cache(text, key) == names);
  CHECK(parse_names_cache(render_names_cache(key, {}), key) == std::vector<std::string>{});
}

TEST_CASE("names cache: any other key field is a miss")
{
  const std::string text = render_names_cache(key, names);
  std::vector<ProfilesKey> others(6, key);
  others[0].path = "/n/profiles.nix2";
  others[1].dev = 2050;
  others[2].ino = 132;
  others[3].size = 811;
  others[4].mtime_ns += 1;
  others[5].ctime_ns -= 1;
  for (const auto& k : others) CHECK_FALSE(parse_names_cache(text, k));
}

TEST_CASE("names cache: truncated, changed or foreign text is a miss")
{
  const std::string text = render_names_cache(key, names);
  for (std::size_t n = 0; n < text.size(); ++n)
    CHECK_FALSE(parse_names_cache(text.substr(0, n), key));
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string bad = text;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    CHECK_FALSE(parse_names_cache(bad, key));
  }
  CHECK_FALSE(parse_names_cache(text + "x", key));
  CHECK_FALSE(parse_names_cache("", key));
  CHECK_FALSE(parse_names_cache("microvm-here profile-names 2\n", key));
}

TEST_CASE("names cache: only a file unchanged for 2 s may be cached")
{
  ProfilesKey k = key;
  k.mtime_ns = 10'000'000'000;
  k.ctime_ns = 10'000'000'000;
  CHECK(mvh::names_cacheable(k, 12'000'000'000));
  CHECK_FALSE(mvh::names_cacheable(k, 11'999'999'999));
  k.mtime_ns = 1'000'000'000;  // touch -d into the past: the ctime still counts
  CHECK_FALSE(mvh::names_cacheable(k, 11'000'000'000));
  k.ctime_ns = 1'000'000'000;
  k.mtime_ns = 20'000'000'000;  // a future mtime
  CHECK_FALSE(mvh::names_cacheable(k, 12'000'000'000));
}

TEST_CASE("names cache: the file name depends on the profiles path only")
{
  CHECK(mvh::names_cache_file_name("/a/profiles.nix") ==
        mvh::names_cache_file_name("/a/profiles.nix"));
  CHECK(mvh::names_cache_file_name("/a/profiles.nix") !=
        mvh::names_cache_file_name("/b/profiles.nix"));
  CHECK(mvh::names_cache_file_name("/a/profiles.nix").size() == 14 + 16);
}
