#pragma once
// The single, narrow privileged step: `sudo microvm-here __privileged ACTION NAME [TARGET]`.
#include <string>

namespace mvh {

struct Context;

enum class PrivilegedAction { link, start, link_and_start };

// Runs our own binary through sudo for action (at most once per run: the caller asks for
// link_and_start when both are needed). Throws Error(Exit::failure) with the helper's message
// when sudo or the helper fails.
void run_privileged(Context& ctx, PrivilegedAction action, const std::string& name,
                    const std::string& target);

}  // namespace mvh
