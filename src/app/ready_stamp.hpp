#pragma once
// "We saw this unit invocation serve an SSH banner": lets the next run of an already running VM
// skip the banner probe (OpenSSH needs ~12 ms to answer one) and exec ssh within milliseconds.
// Keyed by systemd's InvocationID, which changes on every (re)start.
#include <cstdint>
#include <optional>
#include <string>

namespace mvh {

struct Context;

struct ReadyStamp {
  std::string invocation_id;
  std::string host;  // where the banner came from (after the ssh config's HostName/Port)
  std::uint16_t port = 22;
  // What that was derived from: the profile's ipAddress, the configured ssh_port and the ssh
  // alias. The instant path trusts host/port only while these are unchanged.
  std::string profile_host;
  std::uint16_t profile_port = 22;
  std::string alias;
};

// The stamp of VM name, or nullopt when absent or unreadable.
std::optional<ReadyStamp> read_ready_stamp(const Context& ctx, const std::string& name);
// Records a stamp (atomically); failures are ignored: the stamp is only an optimisation.
void write_ready_stamp(const Context& ctx, const std::string& name, const ReadyStamp& s);

}  // namespace mvh
