#include "app/name_store.hpp"

#include <string_view>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/vm_name.hpp"
#include "sys/file_lock.hpp"
#include "sys/fs.hpp"
#include "sys/workspace_link.hpp"

namespace mvh {
namespace {

NameBook parse_book(std::string_view text)
{
  NameBook book;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0 || tab + 1 >= line.size() || line[tab + 1] != '/')
      continue;
    // A name from this file becomes a path under workspaces and a unit name: only valid names.
    const std::string name(line.substr(0, tab));
    if (!is_valid_vm_name(name)) continue;
    book.entries.push_back({name, std::string(line.substr(tab + 1))});
  }
  return book;
}

NameBook read_book_at(const std::string& path)
{
  auto text = read_file(path, k_name_book_max_bytes);
  if (!text) return {};
  if (text->size() > k_name_book_max_bytes)
    throw failure(printable(path) + " is larger than " +
                  std::to_string(k_name_book_max_bytes / 1024) +
                  " KiB; it holds one line per repository: remove the lines of repositories "
                  "you no longer use");
  return parse_book(*text);
}

}  // namespace

std::optional<std::string> NameBook::name_of(const std::string& root) const
{
  for (const auto& e : entries)
    if (e.root == root) return e.name;
  return std::nullopt;
}

std::optional<std::string> NameBook::other_root_of(const std::string& name,
                                                   const std::string& except_root) const
{
  for (const auto& e : entries)
    if (e.name == name && e.root != except_root) return e.root;
  return std::nullopt;
}

std::optional<std::string> repo_served_by(const std::string& workspaces, const NameBook& book,
                                          const std::string& name, const std::string& root)
{
  LinkInfo link{};
  try {
    link = inspect_link(workspaces, name);
  } catch (const Error&) {
  }
  if (link.kind == LinkKind::symlink && link.target != root && is_directory(link.target))
    return link.target;
  auto other = book.other_root_of(name, root);
  if (other && is_directory(*other)) return other;
  return std::nullopt;
}

std::string name_book_path(const Env& env)
{
  return env.xdg_state_home() + "/microvm-here/names";
}

NameBook read_name_book(const Env& env)
{
  return read_book_at(name_book_path(env));
}

void remember_name(const Env& env, const std::string& root, const std::string& name)
{
  if (root.find('\n') != std::string::npos)
    throw usage_error("cannot remember a VM name for '" + printable(root) +
                      "': its path contains a newline");
  const std::string path = name_book_path(env);
  make_dirs(dir_name(path), 0700);
  FileLock lock(path + ".lock", nullptr);
  NameBook book = read_book_at(path);
  std::string out;
  for (const auto& e : book.entries)
    if (e.root != root) out += e.name + "\t" + e.root + "\n";
  out += name + "\t" + root + "\n";
  write_file_atomic(path, out, 0600);
}

}  // namespace mvh
