#pragma once
// `microvm-here list`: one row per profile with what the host knows about it (pure; the
// command gathers the facts, this file only lays them out).
#include <optional>
#include <string>
#include <vector>

#include "core/profiles.hpp"
#include "core/unit_state.hpp"

namespace mvh {

// Where <workspaces>/<name> points, as list shows it.
struct WorkspaceView {
  enum class Kind { absent, link, not_link, unknown } kind = Kind::absent;
  std::string target;  // for link: what it points to
};

struct VmListRow {
  ProfileEntry profile;
  bool installed = false;          // <state_dir>/<name>/current/bin/microvm-run exists
  std::optional<UnitState> state;  // nullopt: the service manager could not be asked
  WorkspaceView workspace;
  bool has_profile = true;  // false: installed or running, but profiles.nix does not name it
  bool stale = false;       // running an older generation than the installed one
};

// "active/running", or "?" when state is unknown. Never fails.
// In the table the state is followed by "; no profile" and "; restart to apply the rebuild"
// when those hold.
std::string state_text(const std::optional<UnitState>& state);

// The table for people: a header line and one line per row, each column as wide as its
// widest cell, two spaces apart, the last column unpadded; missing values print "-", unknown
// ones "?". Cells are made printable (control bytes escaped). Never fails.
std::string format_vm_table(const std::vector<VmListRow>& rows);

// A JSON array (2-space indent, trailing newline) of objects: name, ipAddress, tapId, mac,
// vsockCid (null when unset), installed, activeState and subState (null when unknown),
// workspace (the link target; null when absent or unknown; "(not a link)" for anything else),
// profile and restartToApply (booleans).
// Never fails.
std::string format_vm_json(const std::vector<VmListRow>& rows);

// `list --json --names`: a JSON array of the names (2-space indent, trailing newline).
std::string format_names_json(const std::vector<ProfileEntry>& profiles);

}  // namespace mvh
