#include "app/context.hpp"

#include "core/error.hpp"
#include "core/printable.hpp"
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
  struct Candidate {
    std::string path;
    bool required;
  };
  std::vector<Candidate> candidates;
  if (args.config_file) {
    candidates.push_back({absolute_from(env.cwd, *args.config_file), true});
  } else if (env.has("MICROVM_HERE_CONFIG") && !env.get("MICROVM_HERE_CONFIG").empty()) {
    candidates.push_back({absolute_from(env.cwd, env.get("MICROVM_HERE_CONFIG")), true});
  } else {
    candidates.push_back({env.xdg_config_home() + "/microvm-here/config.toml", false});
    candidates.push_back(
        {env.get("MICROVM_HERE_SYSTEM_CONFIG", "/etc/microvm-here/config.toml"), false});
  }
  for (const auto& c : candidates) {
    auto text = read_file(c.path);
    if (!text) {
      if (c.required)
        throw config_error("configuration file " + c.path +
                           " does not exist; create it or point --config / "
                           "MICROVM_HERE_CONFIG at an existing file");
      continue;
    }
    config_ = parse_config(*text, c.path, home);
    break;
  }
  if (!config_) config_ = default_config(home);
  if (args.nixfiles) config_->nixfiles = absolute_from(env.cwd, expand_home(*args.nixfiles, home));
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
