#pragma once
// The VM name each repository uses, remembered per repository root (README "VM names"):
// one line "NAME<TAB>ROOT" per repository in $XDG_STATE_HOME/microvm-here/names. A name
// remembered here is stable: a later checkout with the same basename cannot take it over.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "core/read_limits.hpp"

namespace mvh {

// The file is read on every `cd` of the shell hook: it stays small, and a larger one is refused
// (k_name_book_max_bytes, core/read_limits.hpp).

struct NameBook {
  struct Entry {
    std::string name;
    std::string root;
  };
  std::vector<Entry> entries;

  // The name remembered for the repository at root.
  std::optional<std::string> name_of(const std::string& root) const;
  // The root of another repository (not except_root) that remembered name.
  std::optional<std::string> other_root_of(const std::string& name,
                                           const std::string& except_root) const;
};

// The other existing repository that name already serves, if any: the one its workspace link
// <workspaces>/<name> points at, or one that remembered name in book. Cheap enough for every
// `cd` (an lstat, a readlink, a stat or two); an unreadable workspaces directory counts as no
// link. Never fails.
std::optional<std::string> repo_served_by(const std::string& workspaces, const NameBook& book,
                                          const std::string& name, const std::string& root);

// Where the book lives for env.
std::string name_book_path(const Env& env);

// The book (empty when the file does not exist); lines that are not "NAME<TAB>/ROOT" are
// skipped. Throws Error(Exit::failure) naming the file when it cannot be read or is larger
// than k_name_book_max_bytes.
NameBook read_name_book(const Env& env);

// Remembers name for root under the book's lock, replacing root's old line, writing the file
// atomically. Throws Error(Exit::usage) for a root with a newline, Error(Exit::failure) or
// Error(Exit::config) naming the file when it cannot be written.
void remember_name(const Env& env, const std::string& root, const std::string& name);

}  // namespace mvh
