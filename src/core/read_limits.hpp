#pragma once
// How much microvm-here reads of each file it does not write itself: the one home of the
// limits (README "Guarantees"). A file past its limit is refused before it is parsed, so a huge
// or endless file costs neither memory nor time; in the `cd` hook and in the privileged step
// above all, where a repository or the caller chooses the file.
#include <cstddef>
#include <string>

#include "core/error.hpp"

namespace mvh {

struct ReadLimit {
  std::size_t max_bytes;
  const char* what;  // "profiles.nix", "a configuration file", ...
  Exit code;         // the exit code of the refusal
};

inline constexpr std::size_t k_kib = 1024;
inline constexpr std::size_t k_mib = 1024 * 1024;

// profiles.nix: a few hundred bytes per profile; 4 MiB is thousands of VMs.
inline constexpr ReadLimit k_profiles_limit{4 * k_mib, "profiles.nix", Exit::config};
// config.toml (the user's, --config, the system's): a dozen keys.
inline constexpr ReadLimit k_config_limit{1 * k_mib, "a configuration file", Exit::config};
// The trust store: one path per line.
inline constexpr ReadLimit k_trust_limit{1 * k_mib, "its trust list", Exit::failure};
// The remembered names (name_store.cpp, its own message): one line per repository.
inline constexpr std::size_t k_name_book_max_bytes = 256 * k_kib;
// A `.git` file: only its first bytes ("gitdir:") are ever read.
inline constexpr std::size_t k_gitdir_file_max_bytes = 4 * k_kib;

// "8.0 MiB", "12.5 KiB", "17 bytes".
std::string human_size(unsigned long long bytes);
// "PATH is 8.0 MiB; microvm-here reads at most 4 MiB of profiles.nix: is this the right file?"
// A size not above the limit (unknown, e.g. a pipe) says "is larger than 4 MiB".
std::string too_large_message(const std::string& shown_path, unsigned long long size,
                              const ReadLimit& limit);

}  // namespace mvh
