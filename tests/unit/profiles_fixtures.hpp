#pragma once
// Shared test inputs for the profiles.nix tests.
#include <string>

namespace mvh::test {

// The file as found on the real host (HOST.md "profiles.nix as found").
inline const std::string host_profiles =
    "{ }:\n"
    "\n"
    "{\n"
    "  \"alias-watch\" = {\n"
    "    ipAddress = \"192.168.83.4\";\n"
    "    tapId = \"microvm2\";\n"
    "    mac = \"02:00:00:00:00:03\";\n"
    "    vsockCid = 1004;\n"
    "  };\n"
    "\n"
    "  nixfiles = {\n"
    "    ipAddress = \"192.168.83.3\";\n"
    "    tapId = \"microvm1\";\n"
    "    mac = \"02:00:00:00:00:02\";\n"
    "    vsockCid = 1003;\n"
    "  };\n"
    "}\n";

}  // namespace mvh::test
