#pragma once
// The one error scheme: problems the user must fix throw mvh::Error, caught once in main and
// printed as "microvm-here: error: <message>". Expected outcomes are return values.
#include <stdexcept>
#include <string>

namespace mvh {

// Documented exit codes (README "Exit codes", `--help`).
enum class Exit : int {
  ok = 0,
  failure = 1,      // anything not listed below
  usage = 2,        // bad command line or VM name
  config = 3,       // configuration or profiles.nix problem (also a full disk while writing it)
  rebuild = 4,      // the rebuild command failed
  vm_start = 5,     // the VM's unit failed to start or crash-looped
  ssh_timeout = 6,  // SSH did not answer before the deadline
  interrupted = 130,
};

class Error : public std::runtime_error {
 public:
  // message: names the object, the cause and the fix; may span several lines.
  Error(Exit code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Exit code() const { return code_; }

 private:
  Exit code_;
};

// Shorthands for the common kinds.
inline Error usage_error(const std::string& m) { return Error(Exit::usage, m); }
inline Error config_error(const std::string& m) { return Error(Exit::config, m); }
inline Error failure(const std::string& m) { return Error(Exit::failure, m); }

}  // namespace mvh
