#include "app/rebuild.hpp"

#include <chrono>
#include <ctime>
#include <deque>

#include "app/context.hpp"
#include "app/profile_store.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/shell_quote.hpp"
#include "sys/file_lock.hpp"
#include "sys/fs.hpp"
#include "sys/process.hpp"
#include "sys/status_line.hpp"

namespace mvh {

namespace {

// "=== 2026-12-06 05:41:07 +0000: rebuild for NAME: CMD (in DIR)": each run's start in the log.
std::string log_header(const std::string& name, const Config& cfg)
{
  char when[64] = "?";
  const std::time_t now = std::time(nullptr);
  struct tm local {};
  if (::localtime_r(&now, &local) != nullptr)
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &local);
  return std::string("=== ") + when + ": rebuild for " + name + ": " + shell_join(cfg.rebuild) +
         " (in " + cfg.nixfiles + ")\n";
}

// sudo's words when it needs a password and has no terminal to ask on (old and new sudo).
bool wanted_a_terminal(const std::deque<std::string>& tail)
{
  for (const auto& l : tail)
    if (l.find("a terminal is required") != std::string::npos ||
        l.find("no tty present") != std::string::npos)
      return true;
  return false;
}

}  // namespace

std::string rebuild_log_path(const Context& ctx)
{
  return ctx.env.xdg_state_home() + "/microvm-here/rebuild.log";
}

std::optional<std::string> rebuild_program_problem(Context& ctx)
{
  const Config& cfg = ctx.config();
  const std::string& prog = cfg.rebuild.front();
  if (prog.find('/') == std::string::npos) {
    if (find_on_path(prog, ctx.env.get("PATH"))) return std::nullopt;
    return "'" + prog + "' (the 'rebuild' command) is not on PATH";
  }
  const std::string path = prog.front() == '/' ? prog : join_path(cfg.nixfiles, prog);
  if (is_executable_file(path)) return std::nullopt;
  return "'" + path + "' (the 'rebuild' command) is not an executable file";
}

bool run_rebuild(Context& ctx, const std::string& name, const std::function<bool()>& installed)
{
  const Config& cfg = ctx.config();
  // Without a private lock directory the nixfiles directory itself is locked.
  const auto locks = private_lock_dir(ctx);
  const std::string lock_path =
      locks ? *locks + "/rebuild-" + sha256_hex(cfg.nixfiles).substr(0, 16) + ".lock"
            : cfg.nixfiles;
  bool waited = false;
  FileLock lock(lock_path, [&](long pid) {
    waited = true;
    ctx.say("waiting for the rebuild of " +
            (pid > 0 ? "pid " + std::to_string(pid) : std::string("another microvm-here")) +
            " to finish");
  });
  if (waited && installed()) {
    ctx.say("the other rebuild installed " + name + "; skipping ours");
    return false;
  }

  const std::string log = rebuild_log_path(ctx);
  make_dirs(dir_name(log), 0700);
  ctx.say("rebuilding the host for " + name + ": " + shell_join(cfg.rebuild) + " (in " +
          cfg.nixfiles + "; log: " + log + ")");
  StatusLine status(ctx.err, ctx.env.stderr_tty, ctx.args.quiet);
  status.park_cursor(true);  // a password prompt of the rebuild may land on our line
  std::deque<std::string> tail;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now() - t0)
                              .count()) +
           "s";
  };
  std::string last_line;
  StreamOptions opts;
  opts.cwd = cfg.nixfiles;
  opts.log_path = log;
  opts.log_header = log_header(name, cfg);
  opts.on_line = [&](std::string_view line) {
    tail.emplace_back(line);
    if (tail.size() > 20) tail.pop_front();
    last_line = std::string(line);
    if (ctx.env.stderr_tty)
      status.update("rebuild " + elapsed(), last_line);
    else if (ctx.args.verbosity > 0)
      ctx.say("rebuild: " + last_line);
  };
  opts.on_tick = [&] {
    if (ctx.env.stderr_tty) status.update("rebuild " + elapsed(), last_line);
  };
  bool prompting = false;
  opts.on_terminal_input = [&](bool reading) {
    prompting = reading;
    if (reading) return status.yield();
    status.resume();
  };
  StreamResult r = run_streaming(cfg.rebuild, opts);
  // Ended while it waited at its prompt (Ctrl-C): our next words go below the prompt.
  if (prompting) std::fputs("\n", ctx.err);
  status.clear();
  if (r.interrupted)
    throw Error(Exit::interrupted,
                "interrupted: the rebuild was stopped (its process group got the signal); "
                "nothing else was done. Output so far: " +
                    log);
  if (r.signal != 0 || r.exit_code != 0) {
    std::string msg = "the rebuild (" + shell_join(cfg.rebuild) + ") failed with " +
                      (r.signal ? "signal " + std::to_string(r.signal)
                                : "exit code " + std::to_string(r.exit_code)) +
                      "; its last lines:\n";
    for (const auto& l : tail) msg += "  " + l + "\n";
    if (wanted_a_terminal(tail))
      msg +=
          "The rebuild asked for a password, but there is no terminal to ask on. Run "
          "microvm-here from a terminal (in the foreground), or let the rebuild run without "
          "a password (a NOPASSWD sudoers rule for it).\n";
    msg += "Full output: " + log + ". Fix the error and run microvm-here again.";
    throw Error(Exit::rebuild, msg);
  }
  ctx.say("rebuild done in " + elapsed());
  return true;
}

}  // namespace mvh
