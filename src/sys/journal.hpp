#pragma once
// Reading a unit's log lines through sd-journal (libsystemd, dlopen()ed on first use).
#include <functional>
#include <string>
#include <vector>

namespace mvh {

struct JournalTail {
  bool readable = true;            // false: no permission (not root / systemd-journal / adm)
  std::string why;                 // when !readable: what to do, e.g. group membership
  std::vector<std::string> lines;  // "Nov 29 21:26:04 ident[pid]: message", oldest first
};

// The last n lines logged by unit (matches _SYSTEMD_UNIT=unit OR (UNIT=unit AND _PID=1)).
// Throws Error(Exit::failure) naming the unit when the journal exists but cannot be read.
JournalTail journal_tail(const std::string& unit, int n);

// The last n lines one run of unit wrote itself (_SYSTEMD_UNIT=unit AND
// _SYSTEMD_INVOCATION_ID=invocation_id; all of unit when the id is empty): a crashed VM's
// console. Throws Error(Exit::failure) naming the unit when the journal cannot be read.
JournalTail journal_run_tail(const std::string& unit, const std::string& invocation_id, int n);

// Prints the last n lines, then follows new ones, calling on_line for each until
// should_stop() returns true (checked at least every 250 ms). Throws Error(Exit::failure) with
// JournalTail::why's text when the journal is not readable, or naming the unit on read errors.
void journal_follow(const std::string& unit, int n,
                    const std::function<void(const std::string&)>& on_line,
                    const std::function<bool()>& should_stop);

}  // namespace mvh
