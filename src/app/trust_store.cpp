#include "app/trust_store.hpp"

#include <string_view>
#include <vector>

#include "sys/capped_read.hpp"
#include "sys/file_lock.hpp"
#include "sys/fs.hpp"

namespace mvh {
namespace {

std::vector<std::string> split_lines(std::string_view text)
{
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    lines.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

bool listed(const std::vector<std::string>& lines, const std::string& repo_root)
{
  for (const auto& l : lines)
    if (l == repo_root) return true;
  return false;
}

// Runs edit on the list's lines under the lock; writes them back when edit says so.
template <typename Edit>
bool edit_list(const Env& env, Edit edit)
{
  const std::string path = trust_file_path(env);
  FileLock lock(path + ".lock", nullptr);
  auto text = read_file_capped(path, k_trust_limit);
  std::vector<std::string> lines = split_lines(text ? *text : "");
  if (!edit(lines)) return false;
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  write_file_atomic(path, out, 0644);
  return true;
}

}  // namespace

std::string trust_file_path(const Env& env)
{
  return env.xdg_state_home() + "/microvm-here/trusted";
}

bool is_trusted(const Env& env, const std::string& repo_root)
{
  auto text = read_file_capped(trust_file_path(env), k_trust_limit);
  return text && listed(split_lines(*text), repo_root);
}

bool trust_repo(const Env& env, const std::string& repo_root)
{
  return edit_list(env, [&](std::vector<std::string>& lines) {
    if (listed(lines, repo_root)) return false;
    lines.push_back(repo_root);
    return true;
  });
}

bool untrust_repo(const Env& env, const std::string& repo_root)
{
  return edit_list(env, [&](std::vector<std::string>& lines) {
    auto before = lines.size();
    std::erase(lines, repo_root);
    return lines.size() != before;
  });
}

}  // namespace mvh
