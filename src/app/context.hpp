#pragma once
// What every command gets: the environment, the parsed command line, the configuration
// (loaded on first use) and the output streams.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/cli.hpp"
#include "core/config.hpp"
#include "core/env.hpp"

namespace mvh {

struct Context {
  Env env;
  ParsedArgs args;
  // Absolute path of our binary (/proc/self/exe), for sudo and hooks; empty in hook-env until
  // it starts a VM.
  std::string self_exe;
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  // Set by the sudo step: start no program at all (one started there would have real uid 0 and
  // could take root back), whatever PATH says; code that would run one refuses instead.
  bool no_programs = false;

  // The configuration: --config, else $MICROVM_HERE_CONFIG, else the XDG file, else
  // /etc/microvm-here/config.toml ($MICROVM_HERE_SYSTEM_CONFIG overrides that path), else the
  // defaults; then --nixfiles. Throws Error(Exit::config) for an explicit file that is missing
  // and for any parse error.
  const Config& config();

  // A progress or result line on stderr ("microvm-here: ..."), unless -q.
  void say(std::string_view line) const;
  // "microvm-here: warning: ..." on stderr, unless -q.
  void warn(std::string_view line) const;
  // Only with -v (level 1) or -vv (level 2).
  void debug(int level, std::string_view line) const;
  // Data on stdout.
  void print(std::string_view text) const;

 private:
  std::optional<Config> config_;
};

}  // namespace mvh
