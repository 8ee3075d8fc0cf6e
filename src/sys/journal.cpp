// A unit's log lines through sd-journal, formatted like `journalctl -o short` without the
// hostname.
#include "sys/journal.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/libsystemd.hpp"

namespace mvh {
namespace {

class Journal {
 public:
  Journal() = default;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal() { libsystemd().sd_journal_close(j_); }
  sd_journal** out() { return &j_; }
  sd_journal* get() const { return j_; }

 private:
  sd_journal* j_ = nullptr;
};

std::string user_name()
{
  const passwd* pw = getpwuid(geteuid());
  return pw != nullptr ? pw->pw_name : "uid " + std::to_string(geteuid());
}

std::string unreadable_why(const std::string& unit)
{
  return "cannot read the journal as " + user_name() +
         ": add yourself to the systemd-journal group (or run journalctl -u " + unit +
         " with sudo)";
}

// Opens the system journal filtered to unit, or to one run of it (its own output only) when
// invocation is not empty. Returns false when permissions hide it.
bool open_unit(Journal& j, const std::string& unit, const std::string& invocation = {})
{
  const LibSystemd& sd = libsystemd();
  int r = sd.sd_journal_open(j.out(), SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
  if (r == -EACCES || r == -EPERM) return false;
  if (r < 0)
    throw Error(Exit::failure, "cannot open the journal to read " + unit + ": " +
                                   std::strerror(-r) + "; try journalctl -u " + unit);
  // Without permission sd_journal_open still succeeds but finds no file it may open.
  if (geteuid() != 0 && sd.sd_journal_has_runtime_files(j.get()) <= 0 &&
      sd.sd_journal_has_persistent_files(j.get()) <= 0)
    return false;
  // What journalctl -u shows: the unit's own output, and PID 1's messages about it.
  const std::string own = "_SYSTEMD_UNIT=" + unit;
  const std::string about = "UNIT=" + unit;
  const std::string run = "_SYSTEMD_INVOCATION_ID=" + invocation;
  if (!invocation.empty()) {
    // Matches on different fields are ANDed: this run's own lines.
    if ((r = sd.sd_journal_add_match(j.get(), own.data(), own.size())) < 0 ||
        (r = sd.sd_journal_add_match(j.get(), run.data(), run.size())) < 0)
      throw Error(Exit::failure,
                  "cannot filter the journal for " + unit + ": " + std::strerror(-r));
    return true;
  }
  if ((r = sd.sd_journal_add_match(j.get(), own.data(), own.size())) < 0 ||
      (r = sd.sd_journal_add_disjunction(j.get())) < 0 ||
      (r = sd.sd_journal_add_match(j.get(), about.data(), about.size())) < 0 ||
      (r = sd.sd_journal_add_match(j.get(), "_PID=1", 0)) < 0)
    throw Error(Exit::failure, "cannot filter the journal for " + unit + ": " + std::strerror(-r));
  return true;
}

// The value of field in the current entry, or "" when it has none.
std::string field(sd_journal* j, const char* name)
{
  const void* data = nullptr;
  std::size_t size = 0;
  if (libsystemd().sd_journal_get_data(j, name, &data, &size) < 0) return {};
  const std::size_t prefix = std::strlen(name) + 1;  // "NAME="
  if (size < prefix) return {};
  return std::string(static_cast<const char*>(data) + prefix, size - prefix);
}

// A guest console's escapes and \r must not reach the user's terminal raw: printable() with the
// message's own line breaks kept, each continuation indented under the first line.
std::string printable_message(const std::string& s, std::size_t indent)
{
  const std::size_t end = s.find_last_not_of("\r\n");
  if (end == std::string::npos) return {};
  std::string out;
  for (char c : printable(std::string_view(s).substr(0, end + 1), Keep::newline)) {
    out += c;
    if (c == '\n') out.append(indent, ' ');
  }
  return out;
}

std::string format_entry(sd_journal* j)
{
  std::uint64_t usec = 0;
  char when[64] = "";
  if (libsystemd().sd_journal_get_realtime_usec(j, &usec) >= 0) {
    const auto t = static_cast<std::time_t>(usec / 1000000);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::strftime(when, sizeof when, "%b %d %H:%M:%S", &tm);
  }
  std::string ident = field(j, "SYSLOG_IDENTIFIER");
  if (ident.empty()) ident = field(j, "_COMM");
  std::string pid = field(j, "_PID");
  if (pid.empty()) pid = field(j, "SYSLOG_PID");
  std::string head = std::string(when) + " " + (ident.empty() ? "unknown" : ident);
  if (!pid.empty()) head += "[" + pid + "]";
  head += ": ";
  return head + printable_message(field(j, "MESSAGE"), head.size());
}

// Positions j so that the next read is the oldest of the last n entries; false if none.
bool seek_last(sd_journal* j, int n, const std::string& unit)
{
  const LibSystemd& sd = libsystemd();
  int r = sd.sd_journal_seek_tail(j);
  if (r >= 0)
    r = n > 0 ? sd.sd_journal_previous_skip(j, static_cast<std::uint64_t>(n))
              : sd.sd_journal_previous(j);
  if (r < 0)
    throw Error(Exit::failure, "cannot read the journal of " + unit + ": " + std::strerror(-r));
  return r > 0;
}

}  // namespace

JournalTail journal_tail(const std::string& unit, int n)
{
  return journal_run_tail(unit, {}, n);
}

JournalTail journal_run_tail(const std::string& unit, const std::string& invocation_id, int n)
{
  JournalTail tail;
  Journal j;
  if (!open_unit(j, unit, invocation_id)) {
    tail.readable = false;
    tail.why = unreadable_why(unit);
    return tail;
  }
  if (n <= 0 || !seek_last(j.get(), n, unit)) return tail;
  // previous_skip leaves the cursor ON the oldest wanted entry: read it before moving on.
  do {
    tail.lines.push_back(format_entry(j.get()));
  } while (libsystemd().sd_journal_next(j.get()) > 0);
  return tail;
}

void journal_follow(const std::string& unit, int n,
                    const std::function<void(const std::string&)>& on_line,
                    const std::function<bool()>& should_stop)
{
  const LibSystemd& sd = libsystemd();
  Journal j;
  if (!open_unit(j, unit)) throw Error(Exit::failure, unreadable_why(unit));
  // With n == 0 the cursor rests on the newest entry, which is not shown.
  if (seek_last(j.get(), n, unit)) {
    if (n > 0) on_line(format_entry(j.get()));
  } else {
    // Nothing matched yet. Left at the tail, the first next() after new entries arrive would
    // jump to the newest of them (seen with systemd 252); from the head it reads them all.
    sd.sd_journal_seek_head(j.get());
  }
  auto follow_failed = [&](int r) {
    return Error(Exit::failure, "cannot follow the journal of " + unit + ": " + std::strerror(-r) +
                                    "; try journalctl -fu " + unit);
  };
  while (!should_stop()) {
    int r = sd.sd_journal_next(j.get());
    if (r > 0) {
      on_line(format_entry(j.get()));
      continue;
    }
    if (r == 0) r = sd.sd_journal_wait(j.get(), 250000);
    if (r < 0) throw follow_failed(r);
  }
}

}  // namespace mvh
