#pragma once
// Resolving an ssh Host alias the way the user's ssh would (libssh, dlopen()ed on first use).
#include <cstdint>
#include <optional>
#include <string>

namespace mvh {

struct SshTarget {
  std::string host;  // HostName after config (the alias itself when no HostName is set)
  std::uint16_t port = 22;
  std::string user;  // empty when the config sets none
};

// Parses ssh_dir/config (default ~/.ssh from $HOME) for alias. nullopt when the alias has no
// HostName in the config, or libssh cannot be loaded (the caller then uses the profile's IP).
std::optional<SshTarget> resolve_ssh_alias(const std::string& alias, const std::string& ssh_dir);

}  // namespace mvh
