#pragma once
// libsystemd loaded with dlopen() on first use: the shell hook and most commands never need the
// service manager, and linking libsystemd would cost every start of microvm-here ~3 ms of ld.so.
// Include only from src/sys/*.cpp (the systemd headers are private to mvh_sys).
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

namespace mvh {

// Every libsystemd function microvm-here calls; each pointer has the real prototype's type.
#define MVH_LIBSYSTEMD_FUNCTIONS(X) \
  X(sd_bus_open_system)             \
  X(sd_bus_new)                     \
  X(sd_bus_set_address)             \
  X(sd_bus_set_bus_client)          \
  X(sd_bus_set_trusted)             \
  X(sd_bus_start)                   \
  X(sd_bus_unref)                   \
  X(sd_bus_flush_close_unref)       \
  X(sd_bus_call_method)             \
  X(sd_bus_match_signal)            \
  X(sd_bus_slot_unref)              \
  X(sd_bus_process)                 \
  X(sd_bus_wait)                    \
  X(sd_bus_path_encode)             \
  X(sd_bus_message_unref)           \
  X(sd_bus_message_read)            \
  X(sd_bus_message_read_array)      \
  X(sd_bus_message_skip)            \
  X(sd_bus_message_enter_container) \
  X(sd_bus_message_exit_container)  \
  X(sd_bus_error_free)              \
  X(sd_bus_error_has_name)          \
  X(sd_journal_open)                \
  X(sd_journal_close)               \
  X(sd_journal_add_match)           \
  X(sd_journal_add_disjunction)     \
  X(sd_journal_seek_head)           \
  X(sd_journal_seek_tail)           \
  X(sd_journal_previous)            \
  X(sd_journal_previous_skip)       \
  X(sd_journal_next)                \
  X(sd_journal_get_data)            \
  X(sd_journal_get_realtime_usec)   \
  X(sd_journal_wait)                \
  X(sd_journal_has_runtime_files)   \
  X(sd_journal_has_persistent_files)

struct LibSystemd {
// NOLINTNEXTLINE(bugprone-macro-parentheses): name is an identifier, not an expression
#define MVH_LIBSYSTEMD_MEMBER(name) decltype(&::name) name = nullptr;
  MVH_LIBSYSTEMD_FUNCTIONS(MVH_LIBSYSTEMD_MEMBER)
#undef MVH_LIBSYSTEMD_MEMBER
};

// The loaded library (dlopen()ed once, RTLD_LOCAL). Throws Error(Exit::failure) naming
// libsystemd.so.0 and the package to install when it or one of its functions is missing.
const LibSystemd& libsystemd();

}  // namespace mvh
