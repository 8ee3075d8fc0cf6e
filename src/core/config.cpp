#include "core/config.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <span>

#include "core/config_fields.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/suggest.hpp"

namespace mvh {
namespace {

constexpr int k_max_boot_timeout = 86400;

std::string join_path(std::string_view base, std::string_view rel)
{
  if (!rel.empty() && rel.front() == '/') return std::string(rel);
  std::string out(base);
  if (out.empty() || out.back() != '/') out += '/';
  out += rel;
  return out;
}

std::string replace_name(std::string_view pattern, std::string_view name)
{
  std::string out;
  std::size_t pos = 0;
  for (std::size_t hit; (hit = pattern.find("{name}", pos)) != std::string_view::npos;) {
    out += pattern.substr(pos, hit - pos);
    out += name;
    pos = hit + 6;
  }
  out += pattern.substr(pos);
  return out;
}

struct Parsed {
  ConfigFields parser;
  Config config;
  const toml::node* gateway = nullptr;  // set when the file names one
  bool subnet_set = false;
};

struct Key {
  std::string_view name;
  void (*apply)(Parsed&, const toml::node&);
};

// In README order; drives dispatch, the "allowed keys" list and "did you mean".
constexpr std::array<Key, 15> k_keys = {{
    {"nixfiles",
     [](Parsed& s, const toml::node& n) {
       s.config.nixfiles = s.parser.absolute_path("nixfiles", n);
     }},
    {"profiles",
     [](Parsed& s, const toml::node& n) {
       s.config.profiles = s.parser.nixfiles_path("profiles", n);
     }},
    {"vm_home_dir",
     [](Parsed& s, const toml::node& n) {
       s.config.vm_home_dir = s.parser.nixfiles_path("vm_home_dir", n);
     }},
    {"rebuild",
     [](Parsed& s, const toml::node& n) {
       s.config.rebuild = s.parser.argv_value("rebuild", n, "[\"just\", \"switch\"]");
     }},
    {"subnet",
     [](Parsed& s, const toml::node& n) {
       s.config.subnet = s.parser.subnet_value(n);
       s.subnet_set = true;
     }},
    {"gateway",
     [](Parsed& s, const toml::node& n) {
       s.config.gateway = s.parser.gateway_value(n);
       s.gateway = &n;
     }},
    {"workspaces",
     [](Parsed& s, const toml::node& n) {
       s.config.workspaces = s.parser.absolute_path("workspaces", n);
     }},
    {"state_dir",
     [](Parsed& s, const toml::node& n) {
       s.config.state_dir = s.parser.absolute_path("state_dir", n);
     }},
    {"microvm_user",
     [](Parsed& s, const toml::node& n) {
       s.config.microvm_user = s.parser.string_value("microvm_user", n);
     }},
    {"unit", [](Parsed& s, const toml::node& n) { s.config.unit = s.parser.unit_value(n); }},
    {"ssh", [](Parsed& s,
               const toml::node& n) { s.config.ssh = s.parser.argv_value("ssh", n, "[\"ssh\"]"); }},
    {"ssh_alias",
     [](Parsed& s, const toml::node& n) { s.config.ssh_alias = s.parser.alias_value(n); }},
    {"ssh_port",
     [](Parsed& s, const toml::node& n) {
       s.config.ssh_port = s.parser.int_value("ssh_port", n, 1, 65535, "an integer");
     }},
    {"boot_timeout",
     [](Parsed& s, const toml::node& n) {
       s.config.boot_timeout =
           s.parser.int_value("boot_timeout", n, 1, k_max_boot_timeout, "a number of seconds");
     }},
    {"hook", [](Parsed& s, const toml::node& n) { s.config.hook = s.parser.hook_value(n); }},
}};

std::span<const std::string_view> key_names()
{
  static const auto names = [] {
    std::array<std::string_view, k_keys.size()> out{};
    for (std::size_t i = 0; i < k_keys.size(); ++i) out[i] = k_keys[i].name;
    return out;
  }();
  return names;
}

std::string join_keys()
{
  std::string out;
  for (const Key& k : k_keys) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

}  // namespace

std::string Config::profiles_path() const
{
  return join_path(nixfiles, profiles);
}

std::string Config::vm_home_path() const
{
  return join_path(nixfiles, vm_home_dir);
}

std::string Config::unit_for(std::string_view name) const
{
  return replace_name(unit, name);
}

std::string Config::alias_for(std::string_view name) const
{
  return replace_name(ssh_alias, name);
}

std::string expand_home(std::string_view p, std::string_view home)
{
  if (p.empty() || p.front() != '~' || (p.size() > 1 && p[1] != '/')) return std::string(p);
  while (!home.empty() && home.back() == '/') home.remove_suffix(1);
  std::string out(home);
  out += p.substr(1);
  return out.empty() ? "/" : out;
}

Config default_config(std::string_view home)
{
  Config c;
  c.nixfiles = expand_home("~/nixfiles", home);
  return c;
}

Config parse_config(std::string_view text, std::string_view path, std::string_view home)
{
  return parse_config(text, path, home, default_config(home));
}

std::vector<std::string_view> config_keys()
{
  auto k = key_names();
  return {k.begin(), k.end()};
}

Config parse_config(std::string_view text, std::string_view path, std::string_view home,
                    const Config& base)
{
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw config_error(std::string(path) + ":" + std::to_string(e.source().begin.line) + ":" +
                       std::to_string(e.source().begin.column) + ": " +
                       std::string(e.description()));
  }

  // toml::table is ordered by key; report the first problem in file order instead.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, node] : doc) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.first->source().begin < b.first->source().begin;
  });

  Parsed st{ConfigFields(path, home), base};
  st.config.source = std::string(path);
  st.config.files.emplace_back(path);
  for (const auto& [key, node] : entries) {
    const std::string_view name = key->str();
    const auto* entry =
        std::find_if(k_keys.begin(), k_keys.end(), [name](const Key& x) { return x.name == name; });
    if (entry == k_keys.end()) {
      std::string hint;
      if (auto s = did_you_mean(name, key_names())) hint = " (did you mean '" + *s + "'?)";
      st.parser.fail(key->source(), "unknown key '" + printable(name) + "'" + hint +
                                        "; allowed keys: " + join_keys());
    }
    entry->apply(st, *node);
    st.config.origin[std::string(name)] =
        std::string(path) + ":" + std::to_string(key->source().begin.line);
  }
  if (st.gateway) {
    st.parser.check_gateway(st.config.subnet, st.config.gateway, st.gateway->source());
  } else if (st.subnet_set) {
    st.config.gateway = Ipv4{st.config.subnet.network.value + 1};
    st.config.origin["gateway"] = st.config.origin["subnet"] + " (the subnet's first address)";
  }
  return st.config;
}

}  // namespace mvh
