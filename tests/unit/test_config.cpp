#include <string>

#include "catch_compat.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

using mvh::Config;
using mvh::expand_home;
using mvh::HookMode;
using mvh::parse_config;

namespace {

constexpr const char* k_home = "/home/u";

Config parse(const std::string& text)
{
  return parse_config(text, "config.toml", k_home);
}

// The message of the Error(Exit::config) that parsing text throws.
std::string error_of(const std::string& text, const char* home = k_home)
{
  try {
    parse_config(text, "config.toml", home);
  } catch (const mvh::Error& e) {
    CHECK(e.code() == mvh::Exit::config);
    return e.what();
  }
  return "(no error)";
}

const std::string k_allowed =
    "allowed keys: nixfiles, profiles, vm_home_dir, rebuild, subnet, gateway, workspaces, "
    "state_dir, microvm_user, unit, ssh, ssh_alias, ssh_port, boot_timeout, hook";

}  // namespace

TEST_CASE("an empty file gives the documented defaults", "[config]")
{
  const Config c = parse("");
  CHECK(c.source == "config.toml");
  CHECK(c.nixfiles == "/home/u/nixfiles");
  CHECK(c.profiles == "hosts/framework/nixos/microvms/profiles.nix");
  CHECK(c.profiles_path() == "/home/u/nixfiles/hosts/framework/nixos/microvms/profiles.nix");
  CHECK(c.vm_home_dir == "hosts/microvms");
  CHECK(c.vm_home_path() == "/home/u/nixfiles/hosts/microvms");
  CHECK(c.rebuild == std::vector<std::string>{"just", "switch"});
  CHECK(c.subnet.str() == "192.168.83.0/24");
  CHECK(c.gateway.str() == "192.168.83.1");
  CHECK(c.workspaces == "/var/lib/microvm-workspaces");
  CHECK(c.state_dir == "/var/lib/microvms");
  CHECK(c.unit_for("alias-watch") == "microvm@alias-watch.service");
  CHECK(c.ssh == std::vector<std::string>{"ssh"});
  CHECK(c.alias_for("alias-watch") == "microvm-alias-watch");
  CHECK(c.ssh_port == 22);
  CHECK(c.boot_timeout == 120);
  CHECK(c.hook == HookMode::status);
}

TEST_CASE("default_config matches an empty file except for the source", "[config]")
{
  const Config d = mvh::default_config(k_home);
  CHECK(d.source.empty());
  CHECK(d.nixfiles == "/home/u/nixfiles");
  CHECK(d.profiles_path() == parse("").profiles_path());
  CHECK(d.subnet.str() == "192.168.83.0/24");
  CHECK(d.gateway.str() == "192.168.83.1");
}

TEST_CASE("every key can be set", "[config]")
{
  const Config c = parse(R"(# comment
nixfiles = "/src/nix"
profiles = "vms/profiles.nix"
vm_home_dir = "/etc/vm-homes"
rebuild = ["sudo", "nixos-rebuild", "switch", "--flake", ".#"]
subnet = "10.20.0.0/16"
gateway = "10.20.0.254"
workspaces = "~/ws"
state_dir = "~"
unit = "vm-{name}.service"
ssh = ["ssh", "-F", "/dev/null"]
ssh_alias = "{name}.vm"
ssh_port = 2222
boot_timeout = 30
hook = "enter"
)");
  CHECK(c.nixfiles == "/src/nix");
  CHECK(c.profiles_path() == "/src/nix/vms/profiles.nix");
  CHECK(c.vm_home_path() == "/etc/vm-homes");
  CHECK(c.rebuild == std::vector<std::string>{"sudo", "nixos-rebuild", "switch", "--flake", ".#"});
  CHECK(c.subnet.str() == "10.20.0.0/16");
  CHECK(c.gateway.str() == "10.20.0.254");
  CHECK(c.workspaces == "/home/u/ws");
  CHECK(c.state_dir == "/home/u");
  CHECK(c.unit_for("x") == "vm-x.service");
  CHECK(c.ssh == std::vector<std::string>{"ssh", "-F", "/dev/null"});
  CHECK(c.alias_for("x") == "x.vm");
  CHECK(c.ssh_port == 2222);
  CHECK(c.boot_timeout == 30);
  CHECK(c.hook == HookMode::enter);
  CHECK(parse("hook = \"start\"").hook == HookMode::start);
}

TEST_CASE("a subnet without a gateway gets its first address", "[config]")
{
  CHECK(parse("subnet = \"10.20.30.0/24\"").gateway.str() == "10.20.30.1");
  // Order in the file does not matter.
  const Config c = parse("gateway = \"10.0.0.9\"\nsubnet = \"10.0.0.0/24\"\n");
  CHECK(c.gateway.str() == "10.0.0.9");
  CHECK(parse("subnet = \"10.0.0.0/30\"").gateway.str() == "10.0.0.1");
}

TEST_CASE("{name} is replaced everywhere it appears", "[config]")
{
  const Config c = parse("unit = \"{name}-vm@{name}.service\"\nssh_alias = \"{name}{name}\"");
  CHECK(c.unit_for("a") == "a-vm@a.service");
  CHECK(c.alias_for("b") == "bb");
}

TEST_CASE("expand_home replaces a leading ~ only", "[config]")
{
  CHECK(expand_home("~", "/home/u") == "/home/u");
  CHECK(expand_home("~/", "/home/u") == "/home/u/");
  CHECK(expand_home("~/nixfiles", "/home/u") == "/home/u/nixfiles");
  CHECK(expand_home("~/nixfiles", "/home/u/") == "/home/u/nixfiles");
  CHECK(expand_home("~/x", "/") == "/x");
  CHECK(expand_home("~", "/") == "/");
  CHECK(expand_home("~other/x", "/home/u") == "~other/x");
  CHECK(expand_home("/abs/~/x", "/home/u") == "/abs/~/x");
  CHECK(expand_home("rel", "/home/u") == "rel");
  CHECK(expand_home("", "/home/u") == "");
}

TEST_CASE("unknown keys are named with a suggestion and the allowed list", "[config]")
{
  CHECK(error_of("ssh_port = 22\n\nsubnett = \"10.0.0.0/24\"\n") ==
        "config.toml:3: unknown key 'subnett' (did you mean 'subnet'?); " + k_allowed);
  CHECK(error_of("colour = \"red\"") == "config.toml:1: unknown key 'colour'; " + k_allowed);
  CHECK(error_of("\n[gateway_opts]\nx = 1\n") ==
        "config.toml:2: unknown key 'gateway_opts'; " + k_allowed);
  CHECK(error_of("\"bad\\nkey\" = 1") == "config.toml:1: unknown key 'bad\\nkey'; " + k_allowed);
}

TEST_CASE("the first problem in file order is reported", "[config]")
{
  // boot_timeout sorts before ssh_port, but ssh_port comes first in the file.
  CHECK(error_of("ssh_port = 0\nboot_timeout = 0\n") ==
        "config.toml:1: 'ssh_port' must be an integer from 1 to 65535, got 0");
}

TEST_CASE("strings and paths", "[config]")
{
  CHECK(error_of("nixfiles = 42") == "config.toml:1: 'nixfiles' must be a string, got 42");
  CHECK(error_of("unit = true") == "config.toml:1: 'unit' must be a string, got true");
  CHECK(error_of("state_dir = 1.5") == "config.toml:1: 'state_dir' must be a string, got 1.5");
  CHECK(error_of("workspaces = [\"a\"]") ==
        "config.toml:1: 'workspaces' must be a string, got [\"a\"]");
  CHECK(error_of("nixfiles = { a = 1 }") ==
        "config.toml:1: 'nixfiles' must be a string, got a table");
  CHECK(error_of("nixfiles = \"nixfiles\"") ==
        "config.toml:1: 'nixfiles' must be an absolute path or start with ~/, got \"nixfiles\"");
  CHECK(error_of("workspaces = \"~bob/ws\"") ==
        "config.toml:1: 'workspaces' must be an absolute path or start with ~/, got \"~bob/ws\"");
  CHECK(error_of("state_dir = \"\"") ==
        "config.toml:1: 'state_dir' must be an absolute path or start with ~/, got \"\"");
  CHECK(error_of("nixfiles = \"~/nix\"", "") ==
        "config.toml:1: 'nixfiles' is \"~/nix\" but the home directory is unknown; write an "
        "absolute path");
  CHECK(error_of("profiles = \"\"") ==
        "config.toml:1: 'profiles' must be a path relative to nixfiles or an absolute path (~ is "
        "not expanded here), got \"\"");
  CHECK(error_of("vm_home_dir = \"~/homes\"") ==
        "config.toml:1: 'vm_home_dir' must be a path relative to nixfiles or an absolute path (~ "
        "is not expanded here), got \"~/homes\"");
  CHECK(error_of("nixfiles = \"a\\\"b\\n\"") ==
        "config.toml:1: 'nixfiles' must be an absolute path or start with ~/, got \"a\\\"b\\n\"");
}

TEST_CASE("argv arrays", "[config]")
{
  CHECK(error_of("rebuild = []") ==
        "config.toml:1: 'rebuild' must be a non-empty array of strings like [\"just\", "
        "\"switch\"], got []");
  CHECK(error_of("rebuild = [\"just\", 1]") ==
        "config.toml:1: 'rebuild' must be a non-empty array of strings like [\"just\", "
        "\"switch\"], got [\"just\", 1]");
  CHECK(error_of("rebuild = \"just switch\"") ==
        "config.toml:1: 'rebuild' must be a non-empty array of strings like [\"just\", "
        "\"switch\"], got \"just switch\"");
  CHECK(error_of("\nssh = [\"\"]") ==
        "config.toml:2: 'ssh' must be a non-empty array of strings like [\"ssh\"], got [\"\"]");
  CHECK(error_of("ssh = [[\"ssh\"]]") ==
        "config.toml:1: 'ssh' must be a non-empty array of strings like [\"ssh\"], got "
        "[[\"ssh\"]]");
  CHECK(parse("ssh = [\"ssh\", \"\"]").ssh == std::vector<std::string>{"ssh", ""});
}

TEST_CASE("integers", "[config]")
{
  CHECK(error_of("\n\n\n\nssh_port = \"22\"") ==
        "config.toml:5: 'ssh_port' must be an integer from 1 to 65535, got \"22\"");
  CHECK(error_of("ssh_port = 65536") ==
        "config.toml:1: 'ssh_port' must be an integer from 1 to 65535, got 65536");
  CHECK(error_of("ssh_port = 22.0") ==
        "config.toml:1: 'ssh_port' must be an integer from 1 to 65535, got 22.0");
  CHECK(parse("ssh_port = 65535").ssh_port == 65535);
  CHECK(parse("ssh_port = 1").ssh_port == 1);
  CHECK(error_of("boot_timeout = 0") ==
        "config.toml:1: 'boot_timeout' must be a number of seconds from 1 to 86400, got 0");
  CHECK(error_of("boot_timeout = -5") ==
        "config.toml:1: 'boot_timeout' must be a number of seconds from 1 to 86400, got -5");
  CHECK(error_of("boot_timeout = 9999999999") ==
        "config.toml:1: 'boot_timeout' must be a number of seconds from 1 to 86400, got "
        "9999999999");
}

TEST_CASE("hook", "[config]")
{
  CHECK(error_of("hook = \"strat\"") ==
        "config.toml:1: 'hook' must be one of \"status\", \"start\" or \"enter\", got \"strat\" "
        "(did you mean \"start\"?)");
  CHECK(error_of("hook = \"always\"") ==
        "config.toml:1: 'hook' must be one of \"status\", \"start\" or \"enter\", got \"always\"");
  CHECK(error_of("hook = 1") == "config.toml:1: 'hook' must be a string, got 1");
}

TEST_CASE("subnet", "[config]")
{
  CHECK(error_of("\nsubnet = \"10.0.0.1/24\"") ==
        "config.toml:2: 'subnet' must be an IPv4 network in CIDR form like \"192.168.83.0/24\", "
        "got \"10.0.0.1/24\" (host bits set; did you mean \"10.0.0.0/24\"?)");
  CHECK(error_of("subnet = \"10.0.0.0\"") ==
        "config.toml:1: 'subnet' must be an IPv4 network in CIDR form like \"192.168.83.0/24\", "
        "got \"10.0.0.0\"");
  CHECK(error_of("subnet = \"10.0.0.0/33\"") ==
        "config.toml:1: 'subnet' must be an IPv4 network in CIDR form like \"192.168.83.0/24\", "
        "got \"10.0.0.0/33\"");
  CHECK(error_of("subnet = \"010.0.0.0/8\"") ==
        "config.toml:1: 'subnet' must be an IPv4 network in CIDR form like \"192.168.83.0/24\", "
        "got \"010.0.0.0/8\"");
  CHECK(error_of("subnet = \"10.0.0.0/31\"") ==
        "config.toml:1: 'subnet' 10.0.0.0/31 leaves no room for a gateway and a VM; use a prefix "
        "of /30 or shorter, like \"192.168.83.0/24\"");
}

TEST_CASE("gateway", "[config]")
{
  CHECK(error_of("subnet = \"192.168.83.0/24\"\n\n\ngateway = \"10.1.0.1\"") ==
        "config.toml:4: 'gateway' 10.1.0.1 is outside subnet 192.168.83.0/24; pick an address "
        "from 192.168.83.1 to 192.168.83.254");
  CHECK(error_of("gateway = \"10.1.0.1\"") ==
        "config.toml:1: 'gateway' 10.1.0.1 is outside subnet 192.168.83.0/24; pick an address "
        "from 192.168.83.1 to 192.168.83.254");
  CHECK(error_of("gateway = \"192.168.83.0\"") ==
        "config.toml:1: 'gateway' 192.168.83.0 is the network address of subnet "
        "192.168.83.0/24; pick an address from 192.168.83.1 to 192.168.83.254");
  CHECK(error_of("subnet = \"10.0.0.0/30\"\ngateway = \"10.0.0.3\"") ==
        "config.toml:2: 'gateway' 10.0.0.3 is the broadcast address of subnet 10.0.0.0/30; pick "
        "an address from 10.0.0.1 to 10.0.0.2");
  CHECK(error_of("gateway = \"192.168.83.256\"") ==
        "config.toml:1: 'gateway' must be an IPv4 address like \"192.168.83.1\", got "
        "\"192.168.83.256\"");
  CHECK(error_of("gateway = \" 192.168.83.1\"") ==
        "config.toml:1: 'gateway' must be an IPv4 address like \"192.168.83.1\", got \" "
        "192.168.83.1\"");
}

TEST_CASE("unit and ssh_alias need {name}", "[config]")
{
  CHECK(error_of("unit = \"microvm.service\"") ==
        "config.toml:1: 'unit' must contain \"{name}\" and end in \".service\", like "
        "\"microvm@{name}.service\", got \"microvm.service\"");
  CHECK(error_of("unit = \"microvm@{name}\"") ==
        "config.toml:1: 'unit' must contain \"{name}\" and end in \".service\", like "
        "\"microvm@{name}.service\", got \"microvm@{name}\"");
  CHECK(error_of("ssh_alias = \"microvm\"") ==
        "config.toml:1: 'ssh_alias' must contain \"{name}\", like \"microvm-{name}\", got "
        "\"microvm\"");
}

TEST_CASE("TOML syntax errors give path:line:col", "[config]")
{
  CHECK(error_of("ssh_port = 22\nsubnet = \n") ==
        "config.toml:2:10: Error while parsing key-value pair: expected value, saw '\\n'");
  CHECK(error_of("hook = \"status\"\nhook = \"start\"\n") ==
        "config.toml:2:8: Error while parsing key-value pair: cannot redefine existing string "
        "'hook'");
}

TEST_CASE("parse_config layers a file over another key by key", "[config]")
{
  const mvh::Config sys =
      parse_config("nixfiles = \"/srv/nixfiles\"\nhook = \"status\"\nsubnet = \"10.1.0.0/24\"\n",
                   "/etc/c.toml", k_home);
  const mvh::Config user = parse_config("hook = \"start\"\n", "/u/c.toml", k_home, sys);
  CHECK(user.nixfiles == "/srv/nixfiles");
  CHECK(user.hook == mvh::HookMode::start);
  CHECK(user.gateway.str() == "10.1.0.1");
  CHECK(user.source == "/u/c.toml");
  CHECK(user.files == std::vector<std::string>{"/etc/c.toml", "/u/c.toml"});
  CHECK(user.origin.at("hook") == "/u/c.toml:1");
  CHECK(user.origin.at("nixfiles") == "/etc/c.toml:1");
  CHECK(user.origin.at("gateway") == "/etc/c.toml:3 (the subnet's first address)");
  CHECK(user.origin.count("ssh_port") == 0);
  CHECK(mvh::config_value_text(user, "rebuild") == "[\"just\", \"switch\"]");
  CHECK(mvh::config_value_text(user, "hook") == "\"start\"");
  // A gateway set over another file's subnet must lie inside it.
  std::string message;
  try {
    parse_config("gateway = \"10.2.0.1\"\n", "/u/c.toml", k_home, sys);
  } catch (const mvh::Error& e) {
    message = e.what();
  }
  CHECK(message.find("/u/c.toml:1:") != std::string::npos);
}
