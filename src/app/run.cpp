#include "app/run.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/log.hpp"
#include "sys/process_env.hpp"

namespace mvh {

namespace {

int run(int argc, char** argv, char** envp)
{
  Context ctx;
  try {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    ctx.args = parse_command_line(commands(), args);
    // hook-env runs on every `cd`: it reads the few variables it needs from envp rather than
    // copying all, and our path only to start a VM (README "Startup cost"). Every other
    // command has both from the start.
    const bool hook_env = ctx.args.command->run == cmd_hook_env;
    // The privileged step runs as root: it takes nothing from its environment but who called.
    ctx.env = ctx.args.command->run == cmd_privileged ? privileged_env_from_process(envp)
                                                      : env_from_process(envp, !hook_env);
    if (!hook_env) ctx.self_exe = self_executable();
    log_setup(ctx.args.verbosity);
    if (ctx.args.version) {
      ctx.print("microvm-here " MVH_VERSION "\n");
      return 0;
    }
    if (ctx.args.help) {
      const CommandSpec& c = *ctx.args.command;
      ctx.print(c.name.empty() ? render_help(commands()) : render_command_help(c));
      return 0;
    }
    return ctx.args.command->run(ctx);
  } catch (const Error& e) {
    std::fflush(stdout);
    // Messages escape what they quote; this is the last line of defence for what they forgot.
    std::fprintf(stderr, "microvm-here: error: %s\n", printable(e.what(), Keep::layout).c_str());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "microvm-here: error: %s (please report this)\n",
                 printable(e.what(), Keep::layout).c_str());
    return static_cast<int>(Exit::failure);
  }
}

}  // namespace

int run_main(int argc, char** argv, char** envp)
{
  const int code = run(argc, argv, envp);
  // Our data is on stdout before exit() runs its handlers: one of them may end the process
  // without flushing stdio (LeakSanitizer does under ptrace, e.g. in tests run under strace).
  std::fflush(stdout);
  return code;
}

}  // namespace mvh
