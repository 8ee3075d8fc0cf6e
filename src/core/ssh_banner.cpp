#include "core/ssh_banner.hpp"

#include <string_view>

#include "core/printable.hpp"

namespace mvh {
namespace {

// Peer bytes end up in terminal messages: escaped (printable) and of bounded length.
std::string shown(const std::string& s)
{
  constexpr std::size_t max_shown = 60;
  if (s.size() <= max_shown) return printable(s);
  return printable(std::string_view(s).substr(0, max_shown)) + "...";
}

bool starts_with(const std::string& s, std::string_view prefix)
{
  return std::string_view(s).substr(0, prefix.size()) == prefix;
}

}  // namespace

// RFC 4253 §4.2: lines before the version line must not start with "SSH-"; the version line
// is "SSH-protoversion-softwareversion", where 1.99 announces 2.0 compatibility.
BannerVerdict SshBannerReader::feed(const char* data, std::size_t n)
{
  using Kind = BannerVerdict::Kind;
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] != '\n') {
      if (line_.size() >= max_line_)
        return {Kind::not_ssh,
                "a line longer than " + std::to_string(max_line_) + " bytes without a newline"};
      line_.push_back(data[i]);
      continue;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (starts_with(line_, "SSH-2.0-") || starts_with(line_, "SSH-1.99-"))
      return {Kind::ready, line_};
    if (starts_with(line_, "SSH-"))
      return {Kind::not_ssh, "unsupported SSH protocol version '" + shown(line_) + "'"};
    if (!other_seen_) first_other_ = shown(line_);
    other_seen_ = true;
    line_.clear();
  }
  return {};
}

}  // namespace mvh
