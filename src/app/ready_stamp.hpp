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
  std::string host;
  std::uint16_t port = 22;
};

// The stamp of VM name, or nullopt when absent or unreadable.
std::optional<ReadyStamp> read_ready_stamp(const Context& ctx, const std::string& name);
// Records a stamp (atomically); failures are ignored: the stamp is only an optimisation.
void write_ready_stamp(const Context& ctx, const std::string& name, const ReadyStamp& s);

}  // namespace mvh
