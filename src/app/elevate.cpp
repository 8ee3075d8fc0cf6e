#include "app/elevate.hpp"

#include "app/context.hpp"
#include "core/error.hpp"
#include "core/shell_quote.hpp"
#include "sys/fs.hpp"
#include "sys/process.hpp"

namespace mvh {

void run_privileged(Context& ctx, PrivilegedAction action, const std::string& name,
                    const std::string& target)
{
  auto sudo = find_on_path("sudo", ctx.env.get("PATH"));
  if (!sudo)
    throw failure("this step needs root and sudo is not on PATH; install the NixOS module "
                  "(README \"Install on NixOS\") or run as root");
  const char* verb = action == PrivilegedAction::link    ? "link"
                     : action == PrivilegedAction::start ? "start"
                                                         : "link+start";
  std::vector<std::string> argv{*sudo, "--", ctx.self_exe, "__privileged", verb, name};
  if (action != PrivilegedAction::start) argv.push_back(target);
  if (!ctx.config().source.empty()) {
    // The helper reads this file with the caller's own rights, to check the name is registered.
    argv.push_back("--config");
    argv.push_back(ctx.config().source);
  }
  ctx.say("asking sudo to " + std::string(verb) + " " + name + " (sudo may ask for your password)");
  ctx.debug(1, "run: " + shell_join(argv));
  RunResult r = run_inherit(argv);
  if (!r.ok())
    throw failure("the privileged step (" + std::string(verb) + " " + name +
                  ") failed; see the message above. To avoid sudo, install the NixOS module, "
                  "which grants group members the link and the unit start (README)");
}

}  // namespace mvh
