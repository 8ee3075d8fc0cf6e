#pragma once
// The command table and the handlers it points to (one file per verb: cmd_<verb>.cpp).
#include <span>

#include "core/cli.hpp"

namespace mvh {

struct Context;

// Every command, the default one first. Drives parsing, help, "did you mean" and completions.
std::span<const CommandSpec> commands();

int cmd_up(Context& ctx);
int cmd_name(Context& ctx);
int cmd_register(Context& ctx);
int cmd_list(Context& ctx);
int cmd_status(Context& ctx);
int cmd_stop(Context& ctx);
int cmd_logs(Context& ctx);
int cmd_hook(Context& ctx);
int cmd_hook_env(Context& ctx);
int cmd_hook_start(Context& ctx);
int cmd_trust(Context& ctx);
int cmd_untrust(Context& ctx);
int cmd_doctor(Context& ctx);
int cmd_help(Context& ctx);
int cmd_complete(Context& ctx);
int cmd_privileged(Context& ctx);

}  // namespace mvh
