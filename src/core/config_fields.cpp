#include "core/config_fields.hpp"

#include <array>
#include <cstdint>
#include <sstream>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/suggest.hpp"

namespace mvh {
namespace {

constexpr std::array<std::string_view, 3> k_hooks = {"status", "start", "enter"};
// A gateway and at least one VM need two host addresses.
constexpr int k_max_prefix = 30;

std::string quote_key(std::string_view key)
{
  return "'" + std::string(key) + "'";
}

// Names the usual mistake, an address instead of its network, and the value meant.
std::string host_bits_hint(const std::string& raw)
{
  const auto slash = raw.find('/');
  if (slash == std::string::npos) return {};
  auto addr = Ipv4::parse(std::string_view(raw).substr(0, slash));
  auto any = Subnet::parse("0.0.0.0" + raw.substr(slash));
  if (!addr || !any) return {};
  const std::uint32_t host_mask = any->broadcast().value;
  const Subnet net{Ipv4{addr->value & ~host_mask}, any->prefix};
  return " (host bits set; did you mean \"" + net.str() + "\"?)";
}

}  // namespace

std::string toml_repr(const toml::node& node)
{
  if (auto* s = node.as_string()) return quoted(s->get());
  if (auto* arr = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < arr->size(); ++i) out += (i ? ", " : "") + toml_repr((*arr)[i]);
    return out + "]";
  }
  if (node.is_table()) return "a table";
  // What `os << value` prints, through toml++'s primitive printers: its toml_formatter would
  // link log10, and libm is then loaded by every start (README "Startup cost").
  std::ostringstream os;
  if (auto* i = node.as_integer()) {
    const std::int64_t v = i->get();
    const auto fmt =
        i->flags() & (toml::value_flags::format_as_binary | toml::value_flags::format_as_octal |
                      toml::value_flags::format_as_hexadecimal);
    const char* prefix = fmt == toml::value_flags::format_as_binary        ? "0b"
                         : fmt == toml::value_flags::format_as_octal       ? "0o"
                         : fmt == toml::value_flags::format_as_hexadecimal ? "0x"
                                                                           : nullptr;
    if (v >= 0 && prefix) {
      os << prefix;
      toml::impl::print_to_stream(os, v, fmt);
    } else {
      toml::impl::print_to_stream(os, v);
    }
  } else if (auto* d = node.as_floating_point()) {
    toml::impl::print_to_stream(os, d->get());
  } else if (auto* b = node.as_boolean()) {
    os << (b->get() ? "true" : "false");
  } else if (auto* date = node.as_date()) {
    toml::impl::print_to_stream(os, date->get());
  } else if (auto* time = node.as_time()) {
    toml::impl::print_to_stream(os, time->get());
  } else if (auto* dt = node.as_date_time()) {
    toml::impl::print_to_stream(os, dt->get());
  }
  return printable(os.str());
}

void ConfigFields::fail(const toml::source_region& where, const std::string& message) const
{
  throw config_error(std::string(path_) + ":" + std::to_string(where.begin.line) + ": " + message);
}

std::string ConfigFields::string_value(std::string_view key, const toml::node& node) const
{
  if (auto* s = node.as_string()) return s->get();
  fail(node.source(), quote_key(key) + " must be a string, got " + toml_repr(node));
}

std::string ConfigFields::absolute_path(std::string_view key, const toml::node& node) const
{
  // A relative path would follow the shell's working directory, which the hook changes.
  const std::string raw = string_value(key, node);
  if (!raw.empty() && raw.front() == '~' && home_.empty()) {
    fail(node.source(), quote_key(key) + " is " + quoted(raw) +
                            " but the home directory is unknown; write an absolute path");
  }
  std::string expanded = expand_home(raw, home_);
  if (expanded.empty() || expanded.front() != '/') {
    fail(node.source(),
         quote_key(key) + " must be an absolute path or start with ~/, got " + toml_repr(node));
  }
  return expanded;
}

std::string ConfigFields::nixfiles_path(std::string_view key, const toml::node& node) const
{
  // Joined to nixfiles later, so a "~" here would silently mean nixfiles/~.
  std::string raw = string_value(key, node);
  if (raw.empty() || raw.front() == '~') {
    fail(node.source(), quote_key(key) +
                            " must be a path relative to nixfiles or an absolute path (~ is not "
                            "expanded here), got " +
                            toml_repr(node));
  }
  return raw;
}

std::vector<std::string> ConfigFields::argv_value(std::string_view key, const toml::node& node,
                                                  std::string_view example) const
{
  std::vector<std::string> argv;
  if (auto* arr = node.as_array()) {
    for (const toml::node& item : *arr) {
      if (!item.is_string()) break;
      argv.push_back(item.as_string()->get());
    }
    if (!argv.empty() && argv.size() == arr->size() && !argv.front().empty()) return argv;
  }
  fail(node.source(), quote_key(key) + " must be a non-empty array of strings like " +
                          std::string(example) + ", got " + toml_repr(node));
}

int ConfigFields::int_value(std::string_view key, const toml::node& node, int lo, int hi,
                            std::string_view what) const
{
  if (auto* i = node.as_integer(); i && i->get() >= lo && i->get() <= hi) {
    return static_cast<int>(i->get());
  }
  fail(node.source(), quote_key(key) + " must be " + std::string(what) + " from " +
                          std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                          toml_repr(node));
}

Subnet ConfigFields::subnet_value(const toml::node& node) const
{
  const std::string raw = string_value("subnet", node);
  auto net = Subnet::parse(raw);
  if (!net) {
    fail(node.source(),
         "'subnet' must be an IPv4 network in CIDR form like \"192.168.83.0/24\", got " +
             toml_repr(node) + host_bits_hint(raw));
  }
  if (net->prefix > k_max_prefix) {
    fail(node.source(), "'subnet' " + net->str() +
                            " leaves no room for a gateway and a VM; use a prefix of /" +
                            std::to_string(k_max_prefix) + " or shorter, like \"192.168.83.0/24\"");
  }
  return *net;
}

Ipv4 ConfigFields::gateway_value(const toml::node& node) const
{
  if (auto ip = Ipv4::parse(string_value("gateway", node))) return *ip;
  fail(node.source(),
       "'gateway' must be an IPv4 address like \"192.168.83.1\", got " + toml_repr(node));
}

std::string ConfigFields::unit_value(const toml::node& node) const
{
  std::string unit = string_value("unit", node);
  if (unit.find("{name}") == std::string::npos || !unit.ends_with(".service")) {
    fail(node.source(),
         "'unit' must contain \"{name}\" and end in \".service\", like "
         "\"microvm@{name}.service\", got " +
             toml_repr(node));
  }
  return unit;
}

std::string ConfigFields::alias_value(const toml::node& node) const
{
  std::string alias = string_value("ssh_alias", node);
  if (alias.find("{name}") == std::string::npos) {
    fail(node.source(),
         "'ssh_alias' must contain \"{name}\", like \"microvm-{name}\", got " + toml_repr(node));
  }
  return alias;
}

HookMode ConfigFields::hook_value(const toml::node& node) const
{
  const std::string raw = string_value("hook", node);
  for (std::size_t i = 0; i < k_hooks.size(); ++i) {
    if (raw == k_hooks[i]) return static_cast<HookMode>(i);
  }
  std::string hint;
  if (auto s = did_you_mean(raw, k_hooks)) hint = " (did you mean \"" + *s + "\"?)";
  fail(node.source(),
       "'hook' must be one of \"status\", \"start\" or \"enter\", got " + toml_repr(node) + hint);
}

void ConfigFields::check_gateway(const Subnet& subnet, Ipv4 gateway,
                                 const toml::source_region& where) const
{
  std::string problem;
  if (!subnet.contains(gateway)) {
    problem = "is outside subnet ";
  } else if (gateway == subnet.network) {
    problem = "is the network address of subnet ";
  } else if (gateway == subnet.broadcast()) {
    problem = "is the broadcast address of subnet ";
  } else {
    return;
  }
  fail(where, "'gateway' " + gateway.str() + " " + problem + subnet.str() +
                  "; pick an address from " + Ipv4{subnet.network.value + 1}.str() + " to " +
                  Ipv4{subnet.broadcast().value - 1}.str());
}

}  // namespace mvh
