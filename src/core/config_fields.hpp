#pragma once
// Reading and checking one configuration value from its TOML node (pure). Used by
// parse_config; every check names the key, what is allowed and what was found.
#include <toml++/toml.h>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/ipv4.hpp"

namespace mvh {

// node as it would be written in TOML (strings quoted and escaped, tables as "a table"), for
// "got ..." in messages. Never fails.
std::string toml_repr(const toml::node& node);

class ConfigFields {
 public:
  // path: shown in messages as given; home: what ~ expands to (empty: unknown).
  ConfigFields(std::string_view path, std::string_view home) : path_(path), home_(home) {}

  // Throws Error(Exit::config) "path:line: message", line from where.
  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const;

  // Each reader below throws as fail() at node's line when node is not what the key allows.
  std::string string_value(std::string_view key, const toml::node& node) const;
  // An absolute path after ~ expansion (nixfiles, workspaces, state_dir).
  std::string absolute_path(std::string_view key, const toml::node& node) const;
  // A non-empty path not starting with ~, kept as written (profiles, vm_home_dir).
  std::string nixfiles_path(std::string_view key, const toml::node& node) const;
  // A non-empty array of strings whose first is non-empty; example shows the allowed form.
  std::vector<std::string> argv_value(std::string_view key, const toml::node& node,
                                      std::string_view example) const;
  // An integer in lo..hi; what names it ("an integer", "a number of seconds").
  int int_value(std::string_view key, const toml::node& node, int lo, int hi,
                std::string_view what) const;
  // A CIDR network without host bits and with room for a gateway and a VM (prefix <= 30).
  Subnet subnet_value(const toml::node& node) const;
  Ipv4 gateway_value(const toml::node& node) const;
  // Contains "{name}" and ends in ".service".
  std::string unit_value(const toml::node& node) const;
  // Contains "{name}".
  std::string alias_value(const toml::node& node) const;
  HookMode hook_value(const toml::node& node) const;

  // Throws as fail() at where unless gateway is a host address of subnet (not its network or
  // broadcast address).
  void check_gateway(const Subnet& subnet, Ipv4 gateway, const toml::source_region& where) const;

 private:
  std::string_view path_;
  std::string_view home_;
};

}  // namespace mvh
