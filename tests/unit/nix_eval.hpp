#pragma once
// Test helper: evaluates profiles files with the real nix-instantiate (nix-bin 2.8 works without
// a daemon when HOME, NIX_STATE_DIR, NIX_CONF_DIR and NIX_LOG_DIR point to a writable
// directory; as non-root it fails otherwise).
#include <string>
#include <vector>

#include "core/profiles.hpp"

namespace mvh::test {

struct NixEval {
  bool found = false;  // nix-instantiate is on PATH
  int status = -1;     // exit status (or -1 when it could not be run)
  std::string out;     // stdout
  std::string err;     // stderr
};

// Path of nix-instantiate on PATH, or "" when it is missing.
std::string find_nix_instantiate();

// Writes text to a new file "<name>" in a fresh private temp dir; returns its path.
std::string write_temp_file(const std::string& text, const std::string& name = "profiles.nix");

// Runs `nix-instantiate --eval --strict --json -E EXPR` with a private state directory.
NixEval nix_eval(const std::string& expr);

// Evaluates file (a function taking {} or a plain set) projected to the four profile fields
// ipAddress, tapId, mac, vsockCid (missing ones as null), so unknown fields such as paths are
// never forced.
NixEval nix_eval_profiles(const std::string& file);

// True when nix-instantiate is on PATH. Otherwise FAILs the test, unless MVH_NO_NIX=1 is set:
// then it WARNs and returns false so the caller skips its real-Nix check.
bool nix_available_or_skip();

// Catch assertions: real Nix evaluates text to exactly the expected profiles (name, ipAddress,
// tapId, mac, vsockCid). When nix-instantiate is missing this FAILs, unless MVH_NO_NIX=1 is set
// (then it WARNs and skips the check).
void check_with_real_nix(const std::string& text, const std::vector<ProfileEntry>& expected);

}  // namespace mvh::test
