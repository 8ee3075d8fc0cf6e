#pragma once
// profiles.nix as the commands see it: read and parsed (falling back to nix-instantiate for
// non-literal files), and registration of a new profile under the lock.
#include <optional>
#include <string>
#include <vector>

#include "core/profiles.hpp"

namespace mvh {

struct Context;

struct LoadedProfiles {
  std::string path;
  std::string text;
  ProfilesFile file;                  // the native parse (splice information)
  std::vector<ProfileEntry> entries;  // values: native, or from nix-instantiate when needed
};

// Reads and parses the configured profiles.nix. Missing file, syntax errors, and non-literal
// files without nix-instantiate throw Error(Exit::config) naming the path and the fix.
LoadedProfiles load_profiles(Context& ctx);

// The entry called name, or nullptr.
const ProfileEntry* find_profile(const LoadedProfiles& p, const std::string& name);

struct Registration {
  NewProfile profile;
  std::string profiles_path;
  std::string home_file;      // <vm_home_dir>/<name>/default.nix
  bool home_created = false;  // false: it existed and was kept
  bool git_added = false;     // both files were `git add --intent-to-add`ed
  bool existed = false;       // exists_ok and the name was there (nothing written)
  std::string new_text;       // the new profiles.nix (for --dry-run)
  std::string old_text;
};

// Adds name to profiles.nix (allocating its values) and creates its Home Manager file, all
// under the profiles lock; with dry_run nothing is written. Throws Error(Exit::failure) when
// the name exists (or differs only in case), Error(Exit::config) for file problems. With
// exists_ok an existing name (another run registered it meanwhile) returns existed = true.
Registration register_profile(Context& ctx, const std::string& name, bool dry_run,
                              bool exists_ok = false);

struct Unregistration {
  std::string profiles_path;
  std::string home_file;     // <vm_home_dir>/<name>/default.nix (never touched here)
  bool had_profile = false;  // false: nothing to remove, nothing written
};

// Removes name's entry from profiles.nix under the profiles lock, with the same checks as
// register (our parser and `nix-instantiate --parse` read the result back) and an atomic
// write. Throws Error(Exit::config) when the entry is not a literal the editor can cut out.
Unregistration unregister_profile(Context& ctx, const std::string& name);

// Throws what unregister_profile would throw for NAME's entry (not literal, does not read back,
// rejected by Nix) without writing anything: unregister checks this before it stops the VM.
void check_unregister(Context& ctx, const std::string& name);

// What register did (or would do), one field per line, for people.
std::string describe_registration(const Registration& r, bool dry_run);

// Path of the lock that serializes edits of profiles_path: in private_lock_dir, else the
// directory that holds profiles_path (FileLock locks a directory as it is). Throws as make_dirs.
std::string profiles_lock_path(const Context& ctx, const std::string& profiles_path);

// "<private files dir>/locks" (sys/private_dir.hpp), or nullopt when the runtime directory is
// shared or foreign (anyone there could hold or redirect our locks). Never throws.
std::optional<std::string> private_lock_dir(const Context& ctx);

}  // namespace mvh
