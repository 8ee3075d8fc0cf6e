#pragma once
// VM names: derived from a repository's directory name, or given by the user (pure).
#include <optional>
#include <string>
#include <string_view>

namespace mvh {

// True when name matches ^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$ (a NixOS host name).
bool is_valid_vm_name(std::string_view name);

// Derives a VM name from a directory's basename (README "VM names"): runs of characters
// outside [A-Za-z0-9_-] become one '-', leading/trailing '-' and '_' are trimmed, names longer
// than 63 keep 56 characters plus '-' and 6 hex digits of SHA-256(basename).
// nullopt when nothing valid remains (e.g. "...").
std::optional<std::string> derive_vm_name(std::string_view basename);

// Throws Error(Exit::usage) with the exact message of README unless is_valid_vm_name(name).
void check_vm_name(std::string_view name);

}  // namespace mvh
