#include "core/profile_names_cache.hpp"

#include <charconv>

namespace mvh {
namespace {

constexpr std::string_view magic = "microvm-here profile-names 1\n";
constexpr std::int64_t racy_ns = 2'000'000'000;

std::uint64_t fnv1a(std::string_view s)
{
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::string hex(std::uint64_t v)
{
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = digits[v & 15];
  return s;
}

// Length-prefixed so that any byte (newlines too) survives in paths and names.
void put_field(std::string& out, std::string_view s)
{
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += '\n';
}

void put_number(std::string& out, std::int64_t v)
{
  out += std::to_string(v);
  out += '\n';
}

// Reads the text back, front to back; any mismatch makes ok false.
struct Reader {
  std::string_view rest;
  bool ok = true;

  std::string_view until(char end)
  {
    auto at = rest.find(end);
    if (at == std::string_view::npos) {
      ok = false;
      return {};
    }
    std::string_view s = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    return s;
  }

  template <typename T>
  T number(char end)
  {
    std::string_view s = until(end);
    T v{};
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) ok = false;
    return v;
  }

  std::string_view field()
  {
    auto n = number<std::size_t>(':');
    if (!ok || rest.size() < n + 1 || rest[n] != '\n') {
      ok = false;
      return {};
    }
    std::string_view s = rest.substr(0, n);
    rest.remove_prefix(n + 1);
    return s;
  }
};

}  // namespace

bool names_cacheable(const ProfilesKey& key, std::int64_t now_ns)
{
  return key.mtime_ns <= now_ns - racy_ns && key.ctime_ns <= now_ns - racy_ns;
}

std::string names_cache_file_name(std::string_view profiles_path)
{
  return "profile-names-" + hex(fnv1a(profiles_path));
}

std::string render_names_cache(const ProfilesKey& key, const std::vector<std::string>& names)
{
  std::string body(magic);
  put_field(body, key.path);
  put_number(body, static_cast<std::int64_t>(key.dev));
  put_number(body, static_cast<std::int64_t>(key.ino));
  put_number(body, static_cast<std::int64_t>(key.size));
  put_number(body, key.mtime_ns);
  put_number(body, key.ctime_ns);
  put_number(body, static_cast<std::int64_t>(names.size()));
  for (const auto& n : names) put_field(body, n);
  // The checksum catches changed bytes that still parse (a torn or foreign write).
  return body + "sum " + hex(fnv1a(body)) + "\n";
}

std::optional<std::vector<std::string>> parse_names_cache(std::string_view text,
                                                          const ProfilesKey& want)
{
  constexpr std::size_t trailer = 4 + 16 + 1;  // "sum " hex "\n"
  if (text.size() < magic.size() + trailer || text.substr(0, magic.size()) != magic)
    return std::nullopt;
  std::string_view body = text.substr(0, text.size() - trailer);
  if (text.substr(body.size()) != "sum " + hex(fnv1a(body)) + "\n") return std::nullopt;
  Reader r{body.substr(magic.size())};
  bool same = r.field() == want.path;
  same = r.number<std::int64_t>('\n') == static_cast<std::int64_t>(want.dev) && same;
  same = r.number<std::int64_t>('\n') == static_cast<std::int64_t>(want.ino) && same;
  same = r.number<std::int64_t>('\n') == static_cast<std::int64_t>(want.size) && same;
  same = r.number<std::int64_t>('\n') == want.mtime_ns && same;
  same = r.number<std::int64_t>('\n') == want.ctime_ns && same;
  auto count = r.number<std::size_t>('\n');
  if (!r.ok || !same || count > r.rest.size()) return std::nullopt;
  std::vector<std::string> names;
  names.reserve(count);
  for (std::size_t i = 0; i < count && r.ok; ++i) names.emplace_back(r.field());
  if (!r.ok || !r.rest.empty()) return std::nullopt;
  return names;
}

}  // namespace mvh
