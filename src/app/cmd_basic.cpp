// The small verbs: name, help, __complete.
#include <string>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "app/target.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"

namespace mvh {
namespace {

const CommandSpec* find_command(std::string_view name)
{
  for (const auto& c : commands())
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string_view> visible_names()
{
  std::vector<std::string_view> names;
  for (const auto& c : commands())
    if (!c.hidden && !c.name.empty()) names.push_back(c.name);
  return names;
}

const char* kind_word(ArgKind k)
{
  switch (k) {
    case ArgKind::profile: return "profile";
    case ArgKind::shell: return "shell";
    case ArgKind::dir: return "dir";
    case ArgKind::none: break;
  }
  return "none";
}

}  // namespace

int cmd_name(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  Target t = target_for_dir(ctx, pos.empty() ? std::nullopt : std::optional(pos[0]));
  ctx.print(t.name + "\n");
  return 0;
}

int cmd_help(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  if (pos.empty()) {
    ctx.print(render_help(commands()));
    return 0;
  }
  const CommandSpec* c = find_command(pos[0]);
  if (!c || c->hidden) {
    auto names = visible_names();
    auto s = did_you_mean(pos[0], names);
    throw usage_error("no command '" + pos[0] + "'" + (s ? " (did you mean '" + *s + "'?)" : "") +
                      "; run 'microvm-here --help' for the list");
  }
  ctx.print(render_command_help(*c));
  return 0;
}

// Lists for the completion scripts, so they never keep their own copy of the table:
//   __complete commands          NAME<TAB>SUMMARY per visible command
//   __complete options [CMD]     --LONG<TAB>HELP per option of CMD (default command if absent),
//                                then the global options
//   __complete argkind [CMD]     profile | shell | dir | none
//   __complete maxargs [CMD]     how many positionals CMD takes (0 when none)
//   __complete needs-value [CMD] WORD<TAB>VALUE per option word of CMD and of the global
//                                options that takes a value ("--config\tFILE", "-n\tN"), so a
//                                completer can skip the value, or complete FILE and DIR
//   __complete shells            zsh bash fish
int cmd_complete(Context& ctx)
{
  const auto& pos = ctx.args.positionals;
  const std::string what = pos.empty() ? "" : pos[0];
  const CommandSpec* c = &commands().front();
  if (pos.size() > 1) {
    c = find_command(pos[1]);
    if (!c) return 1;
  }
  std::string out;
  if (what == "commands") {
    for (const auto& cmd : commands())
      if (!cmd.hidden && !cmd.name.empty())
        out += std::string(cmd.name) + "\t" + std::string(cmd.summary) + "\n";
  } else if (what == "options") {
    auto add = [&](const OptionSpec& o) {
      out += "--" + std::string(o.long_name) + "\t" + std::string(o.help) + "\n";
    };
    for (const auto& o : c->options) add(o);
    for (const auto& o : global_options()) add(o);
  } else if (what == "argkind") {
    out = std::string(kind_word(c->arg_kind)) + "\n";
  } else if (what == "maxargs") {
    out = std::to_string(c->max_positionals) + "\n";
  } else if (what == "needs-value") {
    auto add = [&](const OptionSpec& o) {
      if (o.value_name.empty()) return;
      const std::string value = "\t" + std::string(o.value_name) + "\n";
      out += "--" + std::string(o.long_name) + value;
      if (o.short_name) out += std::string("-") + o.short_name + value;
    };
    for (const auto& o : c->options) add(o);
    for (const auto& o : global_options()) add(o);
  } else if (what == "shells") {
    out = "zsh\nbash\nfish\n";
  } else {
    throw usage_error(
        "__complete needs one of: commands, options, argkind, maxargs, needs-value, shells");
  }
  ctx.print(out);
  return 0;
}

}  // namespace mvh
