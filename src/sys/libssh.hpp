#pragma once
// libssh 0.10, dlopen()ed on first use so that commands which never need it do not pay for
// mapping it and its dependencies at startup (RECIPES §3). Only src/sys includes this header:
// the binary links no libssh, it only uses the prototypes.
#include <libssh/libssh.h>

namespace mvh {

// The functions microvm-here uses; add a name here to load it too.
#define MVH_LIBSSH_FUNCTIONS(X) \
  X(ssh_new)                    \
  X(ssh_free)                   \
  X(ssh_get_error)              \
  X(ssh_options_set)            \
  X(ssh_options_get)            \
  X(ssh_options_get_port)       \
  X(ssh_options_parse_config)   \
  X(ssh_string_free_char)

// One pointer per function, typed from libssh's own prototype, named like the function.
struct LibSsh {
// NOLINTNEXTLINE(bugprone-macro-parentheses): `name` is a declarator, it cannot be parenthesised
#define MVH_LIBSSH_MEMBER(name) decltype(&::name) name = nullptr;
  MVH_LIBSSH_FUNCTIONS(MVH_LIBSSH_MEMBER)
#undef MVH_LIBSSH_MEMBER
};

// Loads soname (never unloaded) and resolves every function. Throws Error(Exit::failure)
// "cannot load <soname>: <dlerror>; install the Debian package libssh-4 ..." when it cannot.
LibSsh load_libssh(const char* soname);

// libssh.so.4, loaded on the first call only. Throws as load_libssh (on every call) when it
// cannot be loaded.
const LibSsh& libssh();

// Like libssh(), but nullptr instead of throwing, for callers that have a fallback.
const LibSsh* libssh_if_available();

}  // namespace mvh
