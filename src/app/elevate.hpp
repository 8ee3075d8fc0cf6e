#pragma once
// The single, narrow privileged step: `sudo microvm-here __privileged ACTION NAME [TARGET]`.
#include <optional>
#include <string>
#include <string_view>

namespace mvh {

struct Context;

// What one sudo does; the caller combines the link with the start (or restart) so one run asks
// for a password at most once (HOST.md pitfall 5).
enum class PrivilegedAction { link, start, restart, link_and_start, link_and_restart };

struct PrivilegedSteps {
  bool link = false;
  bool start = false;
  bool restart = false;
};

// The ACTION word on the helper's command line ("link", "start", "restart", "link+start",
// "link+restart").
std::string_view privileged_word(PrivilegedAction action);
// The action for a word of privileged_word(), or nullopt for any other word.
std::optional<PrivilegedAction> parse_privileged_word(std::string_view word);
// What the action does.
PrivilegedSteps privileged_steps(PrivilegedAction action);

// Runs our own binary through sudo for action; reason says why in the progress line ("…
// is not writable by you"). Throws Error with the helper's exit code (2, 3, 5; else 1) naming
// the step when sudo or the helper fails; the helper has printed the cause.
void run_privileged(Context& ctx, PrivilegedAction action, const std::string& name,
                    const std::string& target, const std::string& reason);

}  // namespace mvh
