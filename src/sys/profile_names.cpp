#include "sys/profile_names.hpp"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "core/profile_names_cache.hpp"
#include "core/profiles.hpp"
#include "sys/capped_read.hpp"
#include "sys/fs.hpp"

namespace mvh {
namespace {

std::int64_t ns(const struct timespec& t)
{
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::optional<ProfilesKey> key_of(const std::string& path)
{
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return ProfilesKey{path,
                     static_cast<std::uint64_t>(st.st_dev),
                     static_cast<std::uint64_t>(st.st_ino),
                     static_cast<std::uint64_t>(st.st_size),
                     ns(st.st_mtim),
                     ns(st.st_ctim)};
}

std::optional<std::vector<std::string>> cached(const std::string& file, const ProfilesKey& key)
{
  try {
    auto text = read_file(file, k_profiles_limit.max_bytes);
    if (text) return parse_names_cache(*text, key);
  } catch (const std::exception&) {
    // An unreadable cache is a miss.
  }
  return std::nullopt;
}

void store(const std::string& file, const ProfilesKey& key, const std::vector<std::string>& names)
{
  struct timespec now {};
  if (::clock_gettime(CLOCK_REALTIME, &now) != 0 || !names_cacheable(key, ns(now))) return;
  try {
    remove_stale_temps(file);  // a hook-env killed mid-write (a closed terminal) left one
    write_file_atomic(file, render_names_cache(key, names), 0600);
  } catch (const std::exception&) {
    // Best effort: without a cache the next call parses again.
  }
}

}  // namespace

std::optional<std::vector<std::string>> profile_names(const std::string& path,
                                                      const std::string& cache_dir)
{
  // The key is taken before the read: when the file changes in between, the names are stored
  // under the old key, which no later stat returns (the write changed ctime).
  std::optional<ProfilesKey> key;
  std::string file;
  if (!cache_dir.empty()) key = key_of(path);
  if (key) {
    file = cache_dir + "/" + names_cache_file_name(path);
    if (auto names = cached(file, *key)) return names;
  }
  auto text = read_file_capped(path, k_profiles_limit);
  if (!text) return std::nullopt;
  ProfilesFile parsed = parse_profiles(*text, path);
  std::vector<std::string> names;
  names.reserve(parsed.entries.size());
  for (auto& e : parsed.entries) names.push_back(std::move(e.name));
  if (key) store(file, *key, names);
  return names;
}

}  // namespace mvh
