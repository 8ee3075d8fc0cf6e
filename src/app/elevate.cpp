#include "app/elevate.hpp"

#include <array>

#include "app/context.hpp"
#include "core/error.hpp"
#include "core/shell_quote.hpp"
#include "sys/fs.hpp"
#include "sys/process.hpp"

namespace mvh {
namespace {

struct ActionRow {
  PrivilegedAction action;
  std::string_view word;
  std::string_view phrase;  // for people: "link and start"
  PrivilegedSteps steps;
};

constexpr std::array<ActionRow, 5> k_actions{{
    {PrivilegedAction::link, "link", "link", {true, false, false}},
    {PrivilegedAction::start, "start", "start", {false, true, false}},
    {PrivilegedAction::restart, "restart", "restart", {false, false, true}},
    {PrivilegedAction::link_and_start, "link+start", "link and start", {true, true, false}},
    {PrivilegedAction::link_and_restart, "link+restart", "link and restart", {true, false, true}},
}};

const ActionRow& row(PrivilegedAction action)
{
  for (const auto& r : k_actions)
    if (r.action == action) return r;
  return k_actions[0];
}

}  // namespace

std::string_view privileged_word(PrivilegedAction action)
{
  return row(action).word;
}

std::optional<PrivilegedAction> parse_privileged_word(std::string_view word)
{
  for (const auto& r : k_actions)
    if (r.word == word) return r.action;
  return std::nullopt;
}

PrivilegedSteps privileged_steps(PrivilegedAction action)
{
  return row(action).steps;
}

void run_privileged(Context& ctx, PrivilegedAction action, const std::string& name,
                    const std::string& target, const std::string& reason)
{
  const ActionRow& r = row(action);
  const std::string what = std::string(r.phrase) + " " + name;
  auto sudo = find_on_path("sudo", ctx.env.get("PATH"));
  if (!sudo)
    throw failure("cannot " + what + ": " + reason +
                  ", and sudo is not on PATH; install the "
                  "NixOS module (README \"What the NixOS module grants\") or run as root");
  std::vector<std::string> argv{*sudo, "--", ctx.self_exe, "__privileged", std::string(r.word),
                                name};
  if (r.steps.link) argv.push_back(target);
  if (!ctx.config().source.empty()) {
    // The helper reads this file with the caller's own rights and compares it with the system's.
    argv.push_back("--config");
    argv.push_back(ctx.config().source);
  }
  ctx.say("asking sudo to " + what + ": " + reason + " (sudo may ask for your password)");
  ctx.debug(1, "run: " + shell_join(argv));
  RunResult res = run_inherit(argv);
  if (res.ok()) return;
  Exit code = Exit::failure;
  if (res.signal == 0 && (res.exit_code == static_cast<int>(Exit::usage) ||
                          res.exit_code == static_cast<int>(Exit::config) ||
                          res.exit_code == static_cast<int>(Exit::vm_start)))
    code = static_cast<Exit>(res.exit_code);
  throw Error(code, "the privileged step (sudo " + ctx.self_exe + " __privileged " +
                        std::string(r.word) + " " + name +
                        ") failed; its cause is above. To "
                        "need no sudo, install the NixOS module, which lets members of its "
                        "group link and start VMs (README \"What the NixOS module grants\")");
}

}  // namespace mvh
