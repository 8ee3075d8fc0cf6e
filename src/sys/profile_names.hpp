#pragma once
// The profile names of profiles.nix for hook-env, answered from a cache in the runtime
// directory when the file has not changed since it was written (core/profile_names_cache.hpp).
#include <optional>
#include <string>
#include <vector>

namespace mvh {

// The names of the entries of the profiles file at path, in file order; nullopt when it does
// not exist. cache_dir: a private directory (sys/private_dir.hpp) for the cache file; empty: no
// cache. Throws exactly as read_file_capped (k_profiles_limit) and parse_profiles do (a file
// that fails to parse is never cached); problems with the cache itself never throw.
std::optional<std::vector<std::string>> profile_names(const std::string& path,
                                                      const std::string& cache_dir);

}  // namespace mvh
