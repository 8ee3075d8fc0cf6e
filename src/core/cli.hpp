#pragma once
// The command line: one table of commands drives parsing, help, "did you mean" and the lists
// the shell completions ask for (pure).
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mvh {

struct Context;  // defined by the application layer; the table only stores handler pointers

struct OptionSpec {
  std::string_view long_name;   // without dashes, e.g. "json"
  char short_name = 0;          // e.g. 'f', 0 for none
  std::string_view value_name;  // empty: a flag; else the option takes a value ("SECONDS")
  std::string_view help;
};

// What a positional argument completes to (for the completion scripts).
enum class ArgKind { none, profile, shell, dir };

struct CommandSpec {
  std::string_view name;  // "" is the default command (create if needed, start, enter)
  std::string_view args;  // usage of the positionals, e.g. "[PATH]"
  std::string_view summary;
  std::vector<OptionSpec> options;
  int max_positionals = 0;
  ArgKind arg_kind = ArgKind::none;
  bool remote_command = false;  // accepts "-- COMMAND [ARG...]"
  bool hidden = false;          // internal: not in help or completions
  int (*run)(Context&) = nullptr;  // the handler; returns the exit code
};

// Options every command takes (README "Global options").
std::span<const OptionSpec> global_options();

struct ParsedArgs {
  const CommandSpec* command = nullptr;
  std::map<std::string, std::string, std::less<>> options;  // long name -> value ("" for flags)
  std::vector<std::string> positionals;
  std::vector<std::string> remote_command;  // after "--"
  bool has_remote_command = false;
  // When the first word was no command but close to one: the suggestion. The caller decides
  // (the word may still be a registered VM name).
  std::optional<std::string> command_suggestion;
  std::optional<std::string> config_file;
  std::optional<std::string> nixfiles;
  int verbosity = 0;
  bool quiet = false;
  bool help = false;
  bool version = false;

  bool has(std::string_view opt) const { return options.find(opt) != options.end(); }
  std::string value(std::string_view opt, std::string_view def = {}) const;
};

// Parses args (without argv[0]). Throws Error(Exit::usage) for unknown options, missing
// values and surplus arguments, naming the word, the command and where to read more.
ParsedArgs parse_command_line(std::span<const CommandSpec> commands,
                              const std::vector<std::string>& args);

// `microvm-here --help`: usage, commands, global options, exit codes.
std::string render_help(std::span<const CommandSpec> commands);
// `microvm-here CMD --help`.
std::string render_command_help(const CommandSpec& command);

}  // namespace mvh
