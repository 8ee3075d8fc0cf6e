#pragma once
// The user's configuration (TOML), parsed from text; no file access here.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ipv4.hpp"

namespace mvh {

enum class HookMode { status, start, enter };

struct Config {
  std::string source;  // the last file read (the user's over the system's); empty: defaults
  std::vector<std::string> files;  // every file read, system first
  // Where each key's value comes from: "path:line" (a key missing here has its default).
  std::map<std::string, std::string, std::less<>> origin;
  std::string nixfiles;  // absolute after ~ expansion
  std::string profiles = "hosts/framework/nixos/microvms/profiles.nix";  // relative, as written
  std::string vm_home_dir = "hosts/microvms";  // relative to nixfiles (or absolute), as written
  std::vector<std::string> rebuild{"just", "switch"};
  Subnet subnet{Ipv4{0xc0a85300}, 24};  // 192.168.83.0/24
  Ipv4 gateway{0xc0a85301};             // 192.168.83.1; defaults to subnet's first address
  std::string workspaces = "/var/lib/microvm-workspaces";
  std::string state_dir = "/var/lib/microvms";
  // microvm.nix's service user: its empty directory at <workspaces>/<name> may be replaced.
  std::string microvm_user = "microvm";
  std::string unit = "microvm@{name}.service";
  std::vector<std::string> ssh{"ssh"};
  std::string ssh_alias = "microvm-{name}";
  int ssh_port = 22;
  int boot_timeout = 120;  // seconds
  HookMode hook = HookMode::status;

  // nixfiles/profiles, nixfiles/vm_home_dir; an absolute profiles/vm_home_dir is returned as is.
  std::string profiles_path() const;
  std::string vm_home_path() const;
  // unit / ssh_alias with {name} replaced.
  std::string unit_for(std::string_view name) const;
  std::string alias_for(std::string_view name) const;
};

// p with a leading "~" or "~/" replaced by home (trailing '/' of home dropped); anything else,
// including "~user", unchanged. Never fails.
std::string expand_home(std::string_view p, std::string_view home);

// The defaults listed in README "Configuration", with ~ expanded against home.
Config default_config(std::string_view home);

// Parses TOML text read from path. Unknown keys, wrong types, a bad CIDR, a gateway outside
// the subnet, an empty argv, a port outside 1..65535 or a non-positive timeout throw
// Error(Exit::config) naming "path:line:", the key and what is allowed (a TOML syntax error:
// "path:line:col: <description>"). When subnet is set but gateway is not, the gateway is the
// subnet's first address.
Config parse_config(std::string_view text, std::string_view path, std::string_view home);

// The same, layered over base key by key: keys the file sets replace base's, the others keep
// base's value and origin. A file that sets subnet but not gateway gets the subnet's first
// address as gateway; a gateway it sets must lie in the resulting subnet.
Config parse_config(std::string_view text, std::string_view path, std::string_view home,
                    const Config& base);

// Every key of README "Configuration", in that order.
std::vector<std::string_view> config_keys();

// The value of key in TOML syntax ("\"~/nixfiles\"" expanded, ["just", "switch"], 22).
std::string config_value_text(const Config& c, std::string_view key);

}  // namespace mvh
