#pragma once
// Ctrl-C while we wait: a flag set by SIGINT/SIGTERM, polled by the wait loops, so the status
// line is cleaned up and the documented exit code 130 is returned.
namespace mvh {

// Installs the handlers (idempotent). The previous dispositions are not restored: it is called
// only by commands that end in exit or exec.
void catch_interrupts();
// True once SIGINT or SIGTERM arrived after catch_interrupts().
bool interrupted();

}  // namespace mvh
