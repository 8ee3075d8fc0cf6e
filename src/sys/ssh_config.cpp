#include "sys/ssh_config.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "sys/libssh.hpp"

namespace mvh {

namespace {

std::string default_ssh_dir()
{
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.ssh";
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr)
    return std::string(pw->pw_dir) + "/.ssh";
  return {};
}

// ssh_options_get hands out a copy that only libssh may free.
std::optional<std::string> get_string(const LibSsh& lib, ssh_session s, ssh_options_e option)
{
  char* value = nullptr;
  if (lib.ssh_options_get(s, option, &value) != SSH_OK || value == nullptr) return std::nullopt;
  std::string out = value;
  lib.ssh_string_free_char(value);
  return out;
}

}  // namespace

std::optional<SshTarget> resolve_ssh_alias(const std::string& alias, const std::string& ssh_dir)
{
  const LibSsh* lib = libssh_if_available();
  if (lib == nullptr || alias.empty()) return std::nullopt;
  const std::string dir = ssh_dir.empty() ? default_ssh_dir() : ssh_dir;
  if (dir.empty()) return std::nullopt;

  const std::unique_ptr<ssh_session_struct, decltype(lib->ssh_free)> session(lib->ssh_new(),
                                                                             lib->ssh_free);
  if (!session) return std::nullopt;
  ssh_session s = session.get();
  // libssh expands "~" and "%d" from getpwuid(), not $HOME: name the directory explicitly.
  const std::string config = dir + "/config";
  const bool process_config = false;
  if (lib->ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config) != SSH_OK ||
      lib->ssh_options_set(s, SSH_OPTIONS_HOST, alias.c_str()) != SSH_OK ||
      lib->ssh_options_set(s, SSH_OPTIONS_SSH_DIR, dir.c_str()) != SSH_OK ||
      lib->ssh_options_parse_config(s, config.c_str()) != SSH_OK)
    return std::nullopt;

  const std::optional<std::string> host = get_string(*lib, s, SSH_OPTIONS_HOST);
  if (!host || host->empty() || *host == alias) return std::nullopt;
  SshTarget target;
  target.host = *host;
  unsigned int port = 0;
  if (lib->ssh_options_get_port(s, &port) == SSH_OK && port > 0 && port <= 65535)
    target.port = static_cast<std::uint16_t>(port);
  target.user = get_string(*lib, s, SSH_OPTIONS_USER).value_or("");
  return target;
}

}  // namespace mvh
