#include "core/installed_vm.hpp"

#include <cctype>

namespace mvh {
namespace {

bool hex(char c)
{
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_mac_at(std::string_view s, std::size_t i)
{
  if (i + 17 > s.size()) return false;
  for (std::size_t k = 0; k < 17; ++k) {
    const char c = s[i + k];
    if (k % 3 == 2 ? c != ':' : !hex(c)) return false;
  }
  return i + 17 == s.size() || !(hex(s[i + 17]) || s[i + 17] == ':');
}

bool name_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

}  // namespace

std::vector<ProfileEntry> values_in_runner(std::string_view name, std::string_view runner,
                                           const Subnet& subnet)
{
  std::vector<ProfileEntry> out;
  auto add = [&](auto setter) {
    ProfileEntry e;
    e.name = std::string(name);
    setter(e);
    out.push_back(std::move(e));
  };
  for (std::size_t i = 0; i < runner.size(); ++i) {
    const bool boundary = i == 0 || !name_char(runner[i - 1]);
    if (boundary && (runner.compare(i, 7, "ifname=") == 0 || runner.compare(i, 4, "tap=") == 0)) {
      std::size_t b = i + (runner[i] == 'i' ? 7 : 4), e = b;
      while (e < runner.size() && name_char(runner[e])) ++e;
      if (e > b) add([&](ProfileEntry& p) { p.tap_id = std::string(runner.substr(b, e - b)); });
      i = e;
      continue;
    }
    if (boundary && is_mac_at(runner, i)) {
      add([&](ProfileEntry& p) { p.mac = std::string(runner.substr(i, 17)); });
      i += 16;
      continue;
    }
    if (boundary && std::isdigit(static_cast<unsigned char>(runner[i]))) {
      std::size_t e = i;
      while (e < runner.size() &&
             (std::isdigit(static_cast<unsigned char>(runner[e])) || runner[e] == '.'))
        ++e;
      auto ip = Ipv4::parse(runner.substr(i, e - i));
      if (ip && subnet.contains(*ip)) add([&](ProfileEntry& p) { p.ip_address = ip->str(); });
      i = e;
    }
  }
  return out;
}

std::string unit_glob(std::string_view unit_template)
{
  std::string out(unit_template);
  for (std::size_t at; (at = out.find("{name}")) != std::string::npos;) out.replace(at, 6, "*");
  return out;
}

std::optional<std::string> name_of_unit(std::string_view unit_template, std::string_view unit)
{
  const std::size_t at = unit_template.find("{name}");
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view pre = unit_template.substr(0, at), post = unit_template.substr(at + 6);
  if (unit.size() <= pre.size() + post.size() || unit.substr(0, pre.size()) != pre ||
      unit.substr(unit.size() - post.size()) != post)
    return std::nullopt;
  return std::string(unit.substr(pre.size(), unit.size() - pre.size() - post.size()));
}

}  // namespace mvh
