#pragma once
// Small filesystem effects: reading, atomic writing, existence checks. Paths are strings.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

// The whole file, or nullopt when it does not exist. Other errors throw Error(Exit::failure)
// "cannot read <path>: <strerror>".
std::optional<std::string> read_file(const std::string& path);
// The same, reading at most max_bytes + 1 bytes: a result longer than max_bytes means the file
// is larger (the caller decides; the shell hook must not read a huge file on every `cd`).
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes);

// Writes data to path atomically: a temp file ".<name>.mvh-XXXXXX" in the same directory,
// fsync, rename over path, fsync of the directory. Keeps path's mode when it exists (else
// `mode`). The temp file starts with '.' so a crash never leaves a file Nix would import.
// On failure the temp file is removed, path is untouched, and Error(Exit::config) names the path
// and the cause ("disk full" for ENOSPC/EDQUOT).
void write_file_atomic(const std::string& path, std::string_view data, unsigned mode = 0644);

// Creates path with data only if it does not exist, fsynced; path appears complete or not at
// all (temp file as above, then rename with RENAME_NOREPLACE, or link()). Returns false when
// it already existed (never overwrites). Throws like write_file_atomic.
bool create_file_exclusive(const std::string& path, std::string_view data, unsigned mode = 0644);

// Removes the temp files of the two functions above for path (".<name>.mvh-XXXXXX") that a
// killed writer left behind and that are at least min_age_seconds old. Call it only while
// holding the lock that serializes writers of path. Returns how many it removed; never throws.
int remove_stale_temps(const std::string& path, int min_age_seconds = 60);

// mkdir -p equivalent for directories we own (mode 0755). Throws naming the path
// (Error(Exit::config) "disk full" for ENOSPC/EDQUOT, else Exit::failure).
void make_dirs(const std::string& path, unsigned mode = 0755);

bool path_exists(const std::string& path);   // lstat succeeds
bool is_directory(const std::string& path);  // stat (follows links) says directory
bool is_executable_file(const std::string& path);

// The names in dir (without "." and ".."), sorted; empty when dir does not exist or cannot be
// read. Never fails.
std::vector<std::string> list_dir(const std::string& dir);

// Removes path when it is a regular file (never a directory or what a symlink points to).
// Returns false when absent; throws Error(Exit::failure) naming path for anything else.
bool remove_regular_file(const std::string& path);

// What the symlink path points to, or nullopt when it is absent or not a symlink. Never fails.
std::optional<std::string> read_link(const std::string& path);

// Directory part and file part of a path ("/a/b" -> "/a", "b").
std::string dir_name(std::string_view path);
std::string base_name(std::string_view path);
// a + "/" + b unless b is absolute.
std::string join_path(std::string_view a, std::string_view b);

// The first executable named prog in the absolute entries of path_var ($PATH), or nullopt
// (empty and relative entries, which name the current directory, are skipped).
std::optional<std::string> find_on_path(std::string_view prog, std::string_view path_var);

}  // namespace mvh
