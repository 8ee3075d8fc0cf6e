// Help text rendered from the command table (see cli.hpp).
#include <string>

#include "core/cli.hpp"

namespace mvh {
namespace {

std::string option_label(const OptionSpec& o)
{
  std::string s = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
  s += "--" + std::string(o.long_name);
  if (!o.value_name.empty()) s += " " + std::string(o.value_name);
  return s;
}

void append_options(std::string& out, std::span<const OptionSpec> opts)
{
  for (const auto& o : opts) {
    std::string label = "  " + option_label(o);
    if (label.size() < 26) label.resize(26, ' ');
    else label += "  ";
    out += label + std::string(o.help) + "\n";
  }
}

const char* const k_exit_codes =
    "Exit codes:\n"
    "  0    ok\n"
    "  1    failure\n"
    "  2    usage (bad arguments or VM name)\n"
    "  3    configuration or profiles.nix problem\n"
    "  4    the rebuild failed\n"
    "  5    the VM failed to start\n"
    "  6    SSH not ready before the deadline\n"
    "  130  interrupted\n"
    "  after entering the VM: ssh's own exit status\n";

}  // namespace

std::string render_help(std::span<const CommandSpec> commands)
{
  std::string out =
      "microvm-here: create, start and enter the NixOS microVM of the repository you are in.\n\n"
      "Usage:\n";
  for (const auto& c : commands) {
    if (c.hidden) continue;
    std::string usage = "  microvm-here" + (c.name.empty() ? std::string(" [OPTIONS]")
                                                           : " " + std::string(c.name));
    if (!c.args.empty()) usage += " " + std::string(c.args);
    if (usage.size() < 44) usage.resize(44, ' ');
    else usage += "  ";
    out += usage + std::string(c.summary) + "\n";
  }
  out += "\nOptions of the default command:\n";
  append_options(out, commands.front().options);
  out += "\nGlobal options:\n";
  append_options(out, global_options());
  out += "\n";
  out += k_exit_codes;
  out += "\nRun 'microvm-here COMMAND --help' for a command's options.\n";
  return out;
}

std::string render_command_help(const CommandSpec& c)
{
  std::string out = "Usage: microvm-here" + (c.name.empty() ? "" : " " + std::string(c.name));
  if (!c.args.empty()) out += " " + std::string(c.args);
  out += "\n\n" + std::string(c.summary) + "\n";
  if (!c.options.empty()) {
    out += "\nOptions:\n";
    append_options(out, c.options);
  }
  out += "\nGlobal options:\n";
  append_options(out, global_options());
  return out;
}

}  // namespace mvh
