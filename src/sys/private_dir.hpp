#pragma once
// The user's private directory for runtime files (locks, ready stamps, the profile-names
// cache), used only when nobody else can plant, hold or redirect anything in it.
#include <optional>
#include <string>

namespace mvh {

// "<xdg_runtime_dir>/microvm-here" when xdg_runtime_dir is absolute and a directory (not a
// symlink) of the effective user with mode 0700 (no group or other bits), as systemd and
// ssh-agent make it, and microvm-here in it (created 0700 when missing) is one too; nullopt
// otherwise (a shared /tmp, another user's directory, a symlink). Both are checked through file
// descriptors opened with O_NOFOLLOW. Never throws.
std::optional<std::string> private_runtime_dir(const std::string& xdg_runtime_dir);

// "<state_home>/microvm-here" (state_home created 0700 when missing) when state_home is a
// directory of the effective user that nobody else may write (no group or other write bit) and
// microvm-here in it is private as above; nullopt otherwise. Never throws.
std::optional<std::string> private_state_dir(const std::string& state_home);

// Where runtime files go: private_runtime_dir(xdg_runtime_dir) when it is usable, else
// private_state_dir(state_home) when xdg_runtime_dir is empty (unset), else nullopt: a
// runtime directory that is set but not private is not swapped for another one silently.
std::optional<std::string> private_files_dir(const std::string& xdg_runtime_dir,
                                             const std::string& state_home);

// "<dir>/<name>", created 0700 when missing, when it is a directory (not a symlink) of the
// effective user without group or other bits; nullopt otherwise. dir must be private (from
// the functions above). Never throws.
std::optional<std::string> private_subdir(const std::string& dir, const std::string& name);

}  // namespace mvh
