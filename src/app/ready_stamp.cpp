#include "app/ready_stamp.hpp"

#include <sstream>

#include "app/context.hpp"
#include "core/error.hpp"
#include "sys/fs.hpp"
#include "sys/private_dir.hpp"

namespace mvh {
namespace {

// Only in a private directory: in a shared one another user could forge a stamp or redirect
// the directory into the user's own files. Empty: no stamp (the VM is probed instead).
std::string stamp_path(const Context& ctx, const std::string& name)
{
  auto dir = private_files_dir(ctx.env.get("XDG_RUNTIME_DIR"), ctx.env.xdg_state_home());
  auto ready = dir ? private_subdir(*dir, "ready") : std::nullopt;
  return ready ? *ready + "/" + name : std::string();
}

}  // namespace

std::optional<ReadyStamp> read_ready_stamp(const Context& ctx, const std::string& name)
{
  std::optional<std::string> text;
  try {
    const std::string path = stamp_path(ctx, name);
    if (path.empty()) return std::nullopt;
    text = read_file(path);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  ReadyStamp s;
  unsigned port = 0, profile_port = 0;
  if (!(in >> s.invocation_id >> s.host >> port >> s.profile_host >> profile_port >> s.alias) ||
      port == 0 || port > 65535 || profile_port == 0 || profile_port > 65535)
    return std::nullopt;
  s.port = static_cast<std::uint16_t>(port);
  s.profile_port = static_cast<std::uint16_t>(profile_port);
  return s;
}

void write_ready_stamp(const Context& ctx, const std::string& name, const ReadyStamp& s)
{
  try {
    const std::string path = stamp_path(ctx, name);
    if (path.empty()) return;
    for (const std::string* f : {&s.invocation_id, &s.host, &s.profile_host, &s.alias})
      if (f->empty() || f->find_first_of(" \t\n") != std::string::npos) return;  // unreadable
    write_file_atomic(path,
                      s.invocation_id + " " + s.host + " " + std::to_string(s.port) + " " +
                          s.profile_host + " " + std::to_string(s.profile_port) + " " + s.alias +
                          "\n",
                      0600);
  } catch (const Error&) {
  }
}

}  // namespace mvh
