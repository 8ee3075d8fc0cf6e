#pragma once
// Running the configured rebuild (`just switch`) once, serialized between concurrent runs.
#include <functional>
#include <optional>
#include <string>

namespace mvh {

struct Context;

// Runs config().rebuild in nixfiles under the rebuild lock. A run that had to wait for another
// rebuild first re-checks installed() and skips its own when it now holds. Output goes to a
// live status line (or plain lines) and to $XDG_STATE_HOME/microvm-here/rebuild.log.
// Returns false when skipped. Throws Error(Exit::rebuild) with the last 20 lines and the log
// path on failure, Error(Exit::interrupted) after Ctrl-C (the build's group was signalled).
bool run_rebuild(Context& ctx, const std::string& name, const std::function<bool()>& installed);

// Why the configured rebuild program cannot run ("'just' is not on PATH"), or nullopt when it
// is found (a name with '/' is taken relative to nixfiles, where the rebuild runs).
std::optional<std::string> rebuild_program_problem(Context& ctx);

// $XDG_STATE_HOME/microvm-here/rebuild.log
std::string rebuild_log_path(const Context& ctx);

}  // namespace mvh
