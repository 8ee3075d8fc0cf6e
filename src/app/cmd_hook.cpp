// Shell integration verbs (hook, hook-env, trust, untrust) and doctor: placeholders until the
// shell integration lands.
#include "app/commands.hpp"
#include "app/context.hpp"
#include "core/error.hpp"

namespace mvh {

int cmd_hook(Context&) { throw failure("'hook' is not implemented yet"); }
int cmd_hook_env(Context&) { return 0; }
int cmd_trust(Context&) { throw failure("'trust' is not implemented yet"); }
int cmd_untrust(Context&) { throw failure("'untrust' is not implemented yet"); }
int cmd_doctor(Context&) { throw failure("'doctor' is not implemented yet"); }

}  // namespace mvh
