#include "core/read_limits.hpp"

#include <cstdio>

namespace mvh {

std::string human_size(unsigned long long bytes)
{
  if (bytes < k_kib) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  const bool mib = bytes >= k_mib;
  const unsigned long long unit = mib ? k_mib : k_kib;
  const char* name = mib ? " MiB" : " KiB";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%s", static_cast<double>(bytes) / static_cast<double>(unit),
                name);
  return buf;
}

namespace {

// A limit is a whole number of MiB, KiB or bytes: "4 MiB".
std::string limit_size(std::size_t bytes)
{
  if (bytes != 0 && bytes % k_mib == 0) return std::to_string(bytes / k_mib) + " MiB";
  if (bytes != 0 && bytes % k_kib == 0) return std::to_string(bytes / k_kib) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string too_large_message(const std::string& shown_path, unsigned long long size,
                              const ReadLimit& limit)
{
  const std::string is = size > limit.max_bytes ? "is " + human_size(size)
                                                : "is larger than " + limit_size(limit.max_bytes);
  return shown_path + " " + is + "; microvm-here reads at most " + limit_size(limit.max_bytes) +
         " of " + limit.what + ": is this the right file?";
}

}  // namespace mvh
