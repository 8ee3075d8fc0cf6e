#include "app/context.hpp"

#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/capped_read.hpp"
#include "sys/fs.hpp"
#include "sys/log.hpp"

namespace mvh {
namespace {

std::string absolute_from(const std::string& cwd, const std::string& p)
{
  return p.empty() || p.front() == '/' ? p : join_path(cwd, p);
}

}  // namespace

const Config& Context::config()
{
  if (config_) return *config_;
  const std::string home = env.home();
  // Layered key by key: the system file (the NixOS module's), then the user's file over it.
  // --config FILE and $MICROVM_HERE_CONFIG name the user's file (instead of the XDG one); they
  // still layer over the system file, whose host facts (workspaces, state_dir, unit) the sudo
  // step enforces anyway.
  config_ = default_config(home);
  const std::string system = env.get("MICROVM_HERE_SYSTEM_CONFIG", "/etc/microvm-here/config.toml");
  std::string user = env.xdg_config_home() + "/microvm-here/config.toml";
  bool required = true;
  if (args.config_file)
    user = absolute_from(env.cwd, *args.config_file);
  else if (env.has("MICROVM_HERE_CONFIG") && !env.get("MICROVM_HERE_CONFIG").empty())
    user = absolute_from(env.cwd, env.get("MICROVM_HERE_CONFIG"));
  else
    required = false;
  if (auto text = read_file_capped(system, k_config_limit); text && system != user)
    config_ = parse_config(*text, system, home, *config_);
  if (auto text = read_file_capped(user, k_config_limit))
    config_ = parse_config(*text, user, home, *config_);
  else if (required)
    throw config_error("configuration file " + user +
                       " does not exist; create it or point --config / "
                       "MICROVM_HERE_CONFIG at an existing file");
  if (args.nixfiles) {
    config_->nixfiles = absolute_from(env.cwd, expand_home(*args.nixfiles, home));
    config_->origin["nixfiles"] = "--nixfiles";
  }
  return *config_;
}

void Context::say(std::string_view line) const
{
  if (args.quiet) return;
  std::fprintf(err, "microvm-here: %s\n", printable(line, Keep::layout).c_str());
}

void Context::warn(std::string_view line) const
{
  if (args.quiet) return;
  std::fprintf(err, "microvm-here: warning: %s\n", printable(line, Keep::layout).c_str());
}

void Context::debug(int level, std::string_view line) const
{
  if (args.verbosity < level) return;
  log_debug(level, line);
}

void Context::print(std::string_view text) const
{
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace mvh
