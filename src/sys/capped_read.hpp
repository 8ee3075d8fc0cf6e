#pragma once
// Reading a file within its limit (core/read_limits.hpp).
#include <optional>
#include <string>

#include "core/read_limits.hpp"

namespace mvh {

// The whole file, or nullopt when it does not exist. A file larger than limit.max_bytes throws
// Error(limit.code) with too_large_message, checked by its size before reading and by what was
// read (a file that grows, a pipe). Opening never blocks (a FIFO without a writer reads as
// empty). Other errors throw like read_file.
std::optional<std::string> read_file_capped(const std::string& path, const ReadLimit& limit);

}  // namespace mvh
