#pragma once
// The command table and the handlers it points to (one file per verb: cmd_<verb>.cpp).
#include <span>
#include <string>

#include "core/cli.hpp"

namespace mvh {

struct Context;
class Units;

// Every command, the default one first. Drives parsing, help, "did you mean" and completions.
std::span<const CommandSpec> commands();

int cmd_up(Context& ctx);
int cmd_name(Context& ctx);
int cmd_register(Context& ctx);
int cmd_list(Context& ctx);
int cmd_status(Context& ctx);
int cmd_unregister(Context& ctx);
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

// Stops unit and waits for the job (cmd_vm.cpp); says "stopped <unit>". Throws
// Error(Exit::failure) with the fix when systemd refuses or the job fails.
void stop_vm_unit(Context& ctx, Units& units, const std::string& unit);

}  // namespace mvh
