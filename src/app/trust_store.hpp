#pragma once
// The repositories the shell hook may start or enter a VM for (like `direnv allow`): one
// canonical repository root per line of $XDG_STATE_HOME/microvm-here/trusted.
#include <string>

#include "core/env.hpp"

namespace mvh {

// Where the trust list lives for env.
std::string trust_file_path(const Env& env);

// True when repo_root is a line of the trust list; a missing list trusts nothing. Throws
// Error(Exit::failure) naming the file when it exists but cannot be read.
bool is_trusted(const Env& env, const std::string& repo_root);

// Adds repo_root under the list's lock, writing the list atomically. Returns false when it was
// already there (nothing written). Throws naming the file when it cannot be written.
bool trust_repo(const Env& env, const std::string& repo_root);

// Removes repo_root like trust_repo adds it. Returns false when it was not listed.
bool untrust_repo(const Env& env, const std::string& repo_root);

}  // namespace mvh
