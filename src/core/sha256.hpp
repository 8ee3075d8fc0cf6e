#pragma once
// SHA-256 (FIPS 180-4), used for short stable suffixes of long names (pure).
#include <string>
#include <string_view>

namespace mvh {

// Lower-case hex digest (64 characters) of data.
std::string sha256_hex(std::string_view data);

}  // namespace mvh
