#include "core/vm_name.hpp"

#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/sha256.hpp"

namespace mvh {
namespace {

constexpr std::size_t max_len = 63;
// Room for the "-xxxxxx" suffix of a shortened name: 56 + 1 + 6 = 63.
constexpr std::size_t kept_len = 56;
constexpr std::size_t hash_len = 6;

bool is_alnum(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_name_char(char c)
{
  return is_alnum(c) || c == '-' || c == '_';
}

bool is_edge_char(char c)
{
  return c == '-' || c == '_';
}

std::string trim_edges(std::string s)
{
  while (!s.empty() && is_edge_char(s.back())) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && is_edge_char(s[start])) ++start;
  return s.substr(start);
}

}  // namespace

bool is_valid_vm_name(std::string_view name)
{
  if (name.empty() || name.size() > max_len) return false;
  if (!is_alnum(name.front()) || !is_alnum(name.back())) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

std::optional<std::string> derive_vm_name(std::string_view basename)
{
  // Bytes, not characters: every byte of a UTF-8 sequence is outside the set, so "café" loses
  // its "é" as one run rather than producing two dashes.
  std::string name;
  name.reserve(basename.size());
  bool in_run = false;
  for (char c : basename) {
    if (is_name_char(c)) {
      name.push_back(c);
      in_run = false;
    } else if (!in_run) {
      name.push_back('-');
      in_run = true;
    }
  }
  name = trim_edges(std::move(name));
  if (name.size() > max_len) {
    // The hash of the original keeps two long names with the same prefix apart.
    name.resize(kept_len);
    name = trim_edges(std::move(name));
    name += '-';
    name += sha256_hex(basename).substr(0, hash_len);
  }
  if (!is_valid_vm_name(name)) return std::nullopt;
  return name;
}

void check_vm_name(std::string_view name)
{
  if (is_valid_vm_name(name)) return;
  throw usage_error("invalid VM name '" + printable(name) +
                    "': use 1 to 63 letters, digits, '-' or '_', starting and ending with a "
                    "letter or digit");
}

}  // namespace mvh
