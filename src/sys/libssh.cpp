#include "sys/libssh.hpp"

#include <dlfcn.h>

#include <optional>
#include <string>

#include "core/error.hpp"

namespace mvh {

namespace {

Error load_error(const char* soname)
{
  const char* why = dlerror();
  return failure(std::string("cannot load ") + soname + ": " + (why ? why : "unknown error") +
                 "; install the Debian package libssh-4 (libssh 0.10 or newer): "
                 "sudo apt-get install libssh-4");
}

struct Loaded {
  std::optional<LibSsh> lib;
  std::string error;
};

}  // namespace

LibSsh load_libssh(const char* soname)
{
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) throw load_error(soname);
  LibSsh lib;
#define MVH_LIBSSH_RESOLVE(name)                                         \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(handle, #name)); \
  if (lib.name == nullptr) throw load_error(soname);
  MVH_LIBSSH_FUNCTIONS(MVH_LIBSSH_RESOLVE)
#undef MVH_LIBSSH_RESOLVE
  // Deliberately never dlclose()d: the pointers above live as long as the process.
  return lib;
}

const LibSsh& libssh()
{
  static const Loaded loaded = [] {
    Loaded l;
    try {
      l.lib = load_libssh(MVH_LIBSSH_PATH);
    } catch (const Error& e) {
      l.error = e.what();
    }
    return l;
  }();
  if (!loaded.lib) throw failure(loaded.error);
  return *loaded.lib;
}

const LibSsh* libssh_if_available()
{
  try {
    return &libssh();
  } catch (const Error&) {
    return nullptr;
  }
}

}  // namespace mvh
