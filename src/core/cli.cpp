#include "core/cli.hpp"

#include <algorithm>
#include <array>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace mvh {
namespace {

const std::array<OptionSpec, 7> k_globals{{
    {"config", 0, "FILE", "read the configuration from FILE"},
    {"nixfiles", 0, "DIR", "use DIR as the flake checkout (overrides 'nixfiles')"},
    {"verbose", 'v', "", "say more (-vv: also each D-Bus call and the final argv)"},
    {"quiet", 'q', "", "print only errors"},
    {"help", 'h', "", "show help"},
    {"version", 0, "", "print the version"},
    {"", 0, "", ""},
}};

std::string command_label(const CommandSpec& c)
{
  return c.name.empty() ? std::string("microvm-here") : "microvm-here " + std::string(c.name);
}

const OptionSpec* find_long(std::span<const OptionSpec> opts, std::string_view name)
{
  for (const auto& o : opts)
    if (!o.long_name.empty() && o.long_name == name) return &o;
  return nullptr;
}

const OptionSpec* find_short(std::span<const OptionSpec> opts, char c)
{
  for (const auto& o : opts)
    if (o.short_name == c && c != 0) return &o;
  return nullptr;
}

class Parser {
 public:
  Parser(std::span<const CommandSpec> commands, const std::vector<std::string>& args)
      : commands_(commands), args_(args)
  {
  }

  ParsedArgs run()
  {
    out_.command = &commands_.front();  // the default command is first in the table
    bool command_chosen = false;
    for (i_ = 0; i_ < args_.size(); ++i_) {
      const std::string& a = args_[i_];
      if (a == "--") {
        rest_after_dashdash(command_chosen);
        break;
      }
      if (a.size() > 1 && a[0] == '-') {
        option(a);
        continue;
      }
      if (!command_chosen) {
        command_chosen = true;
        if (choose_command(a)) continue;
      }
      positional(a);
    }
    return std::move(out_);
  }

 private:
  bool choose_command(const std::string& word)
  {
    for (const auto& c : commands_) {
      if (!c.name.empty() && c.name == word) {
        if (!out_.positionals.empty()) return false;
        out_.command = &c;
        return true;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& c : commands_)
      if (!c.hidden && !c.name.empty()) names.push_back(c.name);
    out_.command_suggestion = did_you_mean(word, names);
    return false;
  }

  // `microvm-here rm X`: the first word, taken for a VM NAME, is more likely a command that
  // does not exist than a VM given a stray argument.
  [[noreturn]] void no_such_command(const std::string& word, const std::string& next) const
  {
    std::string list;
    for (const auto& c : commands_)
      if (!c.hidden && !c.name.empty()) list += (list.empty() ? "" : ", ") + std::string(c.name);
    const auto& s = out_.command_suggestion;
    throw usage_error("no such command '" + word + "'" +
                      (s ? " (did you mean '" + *s + "'?)" : std::string()) + "; commands: " +
                      list + ". If '" + word + "' is a VM, a command for it goes after '--': " +
                      "microvm-here " + word + " -- " + next);
  }

  void positional(const std::string& a)
  {
    const CommandSpec& c = *out_.command;
    if (c.name.empty() && !out_.positionals.empty()) no_such_command(out_.positionals.front(), a);
    if (static_cast<int>(out_.positionals.size()) >= c.max_positionals) {
      throw usage_error("too many arguments for '" + command_label(c) + "': '" + a +
                        "'; usage: " + command_label(c) + (c.args.empty() ? "" : " ") +
                        std::string(c.args));
    }
    out_.positionals.push_back(a);
  }

  void rest_after_dashdash(bool)
  {
    const CommandSpec& c = *out_.command;
    std::vector<std::string> rest(args_.begin() + static_cast<long>(i_) + 1, args_.end());
    if (c.remote_command) {
      out_.has_remote_command = true;
      out_.remote_command = std::move(rest);
      if (out_.remote_command.empty())
        throw usage_error("'--' must be followed by a command to run in the VM, e.g. " +
                          command_label(c) + " -- uname -a");
      return;
    }
    for (const auto& r : rest) positional(r);
  }

  std::span<const OptionSpec> globals() const { return global_options(); }

  const OptionSpec* lookup_long(std::string_view name) const
  {
    if (auto* o = find_long(out_.command->options, name)) return o;
    return find_long(globals(), name);
  }

  const OptionSpec* lookup_short(char c) const
  {
    if (auto* o = find_short(out_.command->options, c)) return o;
    return find_short(globals(), c);
  }

  [[noreturn]] void unknown(const std::string& word, std::string_view bare) const
  {
    std::vector<std::string> names;
    for (const auto& o : out_.command->options) names.push_back(std::string(o.long_name));
    for (const auto& o : globals())
      if (!o.long_name.empty()) names.push_back(std::string(o.long_name));
    std::vector<std::string_view> views(names.begin(), names.end());
    auto s = did_you_mean(bare, views);
    const std::string label = command_label(*out_.command);
    throw usage_error("unknown option '" + word + "' for '" + label + "'" +
                      (s ? " (did you mean '--" + *s + "'?)" : "") + "; see '" + label +
                      " --help'");
  }

  std::string take_value(const OptionSpec& o, const std::string& shown)
  {
    if (i_ + 1 >= args_.size())
      throw usage_error("option '" + shown + "' needs a value (" + std::string(o.value_name) +
                        ")");
    return args_[++i_];
  }

  void set(const OptionSpec& o, std::string value)
  {
    const std::string_view n = o.long_name;
    if (n == "verbose") {
      ++out_.verbosity;
    } else if (n == "quiet") {
      out_.quiet = true;
    } else if (n == "help") {
      out_.help = true;
    } else if (n == "version") {
      out_.version = true;
    } else if (n == "config") {
      out_.config_file = std::move(value);
    } else if (n == "nixfiles") {
      out_.nixfiles = std::move(value);
    } else {
      out_.options[std::string(n)] = std::move(value);
    }
  }

  void option(const std::string& a)
  {
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      std::optional<std::string> inline_value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      const OptionSpec* o = lookup_long(name);
      if (!o) unknown(a, name);
      if (o->value_name.empty()) {
        if (inline_value)
          throw usage_error("option '--" + name + "' takes no value; remove '=" + *inline_value +
                            "'");
        set(*o, "");
      } else {
        set(*o, inline_value ? *inline_value : take_value(*o, "--" + name));
      }
      return;
    }
    // Short options, possibly bundled ("-vv", "-n20").
    for (size_t k = 1; k < a.size(); ++k) {
      const OptionSpec* o = lookup_short(a[k]);
      if (!o) unknown(std::string("-") + a[k], std::string(1, a[k]));
      if (o->value_name.empty()) {
        set(*o, "");
        continue;
      }
      std::string shown = std::string("-") + a[k];
      set(*o, k + 1 < a.size() ? a.substr(k + 1) : take_value(*o, shown));
      return;
    }
  }

  std::span<const CommandSpec> commands_;
  const std::vector<std::string>& args_;
  size_t i_ = 0;
  ParsedArgs out_;
};

}  // namespace

std::span<const OptionSpec> global_options()
{
  return std::span<const OptionSpec>(k_globals.data(), k_globals.size() - 1);
}

std::string ParsedArgs::value(std::string_view opt, std::string_view def) const
{
  auto it = options.find(opt);
  return it == options.end() ? std::string(def) : it->second;
}

ParsedArgs parse_command_line(std::span<const CommandSpec> commands,
                              const std::vector<std::string>& args)
{
  return Parser(commands, args).run();
}

}  // namespace mvh
