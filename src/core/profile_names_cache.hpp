#pragma once
// The set of profile names of profiles.nix, cached for hook-env (pure: key, format, policy).
// hook-env only asks "is there a profile named X"; answering from a small cache file keyed by
// the file's identity and timestamps saves parsing profiles.nix on every `cd`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

// What identifies one version of profiles.nix: its path and stat fields. Any write changes
// ctime (touch -d cannot set it), and a replacement by rename changes the inode.
struct ProfilesKey {
  std::string path;
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
};

// Whether names read now may be cached under key: its mtime and ctime are at least 2 s before
// now_ns (racy-git rule: a later rewrite within the same timestamp tick and of equal size would
// keep the key). False for timestamps in the future.
bool names_cacheable(const ProfilesKey& key, std::int64_t now_ns);

// The cache file's name for a profiles path ("profile-names-<16 hex>"); different paths may
// share a name (the path is in the key too), never fails.
std::string names_cache_file_name(std::string_view profiles_path);

// The cache file's text for key and names.
std::string render_names_cache(const ProfilesKey& key, const std::vector<std::string>& names);

// The names stored in text, or nullopt when text is not a complete, intact cache file for
// exactly want (other key, other format version, truncated, bytes changed).
std::optional<std::vector<std::string>> parse_names_cache(std::string_view text,
                                                          const ProfilesKey& want);

}  // namespace mvh
