#include "sys/unit_invocation.hpp"

#include <unistd.h>

#include <array>

namespace mvh {

std::optional<std::string> runtime_invocation_id(const std::string& unit)
{
  if (unit.empty() || unit.find('/') != std::string::npos) return std::nullopt;
  const std::string link = "/run/systemd/units/invocation:" + unit;
  std::array<char, 64> buf{};
  const ssize_t n = ::readlink(link.c_str(), buf.data(), buf.size());
  if (n != 32) return std::nullopt;
  std::string id(buf.data(), static_cast<std::size_t>(n));
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  return id;
}

}  // namespace mvh
