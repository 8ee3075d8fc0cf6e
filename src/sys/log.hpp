#pragma once
// Diagnostics for -v/-vv through spdlog on stderr. The logger is created only when verbosity
// is above zero, so the fast paths never pay for it.
#include <string_view>

namespace mvh {

// Sets up the stderr logger for verbosity 1 (debug) or 2+ (trace); 0 does nothing.
void log_setup(int verbosity);
// Logs line at debug (level 1) or trace (level 2) when log_setup enabled that level.
void log_debug(int level, std::string_view line);

}  // namespace mvh
