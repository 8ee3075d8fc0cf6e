#include "sys/libsystemd.hpp"

#include <dlfcn.h>

#include <string>

#include "core/error.hpp"

namespace mvh {
namespace {

constexpr const char* soname = "libsystemd.so.0";

Error load_error(const std::string& cause)
{
  return Error(Exit::failure, std::string("cannot load ") + soname + ": " + cause +
                                  "; install systemd's shared library (Debian: libsystemd0)");
}

LibSystemd load()
{
  // RTLD_LOCAL: libsystemd's symbols must not satisfy anyone else's lookups.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw load_error(why != nullptr ? why : "unknown dlopen error");
  }
  LibSystemd lib;
  // The handle is never closed: the function pointers live as long as the process.
#define MVH_LIBSYSTEMD_RESOLVE(name)                                                      \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(handle, #name));                  \
  if (lib.name == nullptr) {                                                              \
    const char* why = dlerror();                                                          \
    throw load_error(std::string("missing ") + #name + " (" + (why ? why : "no symbol") + \
                     "), systemd 252 or newer is needed");                                \
  }
  MVH_LIBSYSTEMD_FUNCTIONS(MVH_LIBSYSTEMD_RESOLVE)
#undef MVH_LIBSYSTEMD_RESOLVE
  return lib;
}

}  // namespace

const LibSystemd& libsystemd()
{
  // A throwing initialiser leaves the static uninitialised, so a later call retries.
  static const LibSystemd lib = load();
  return lib;
}

}  // namespace mvh
