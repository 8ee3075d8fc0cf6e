#include "core/ssh_banner.hpp"

#include <string_view>

namespace mvh {
namespace {

// Peer bytes end up in terminal messages: no control characters, bounded length.
std::string printable(const std::string& s)
{
  constexpr std::size_t max_shown = 60;
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max_shown; ++i) {
    const auto ch = static_cast<unsigned char>(s[i]);
    out.push_back(ch >= 0x20 && ch < 0x7f ? static_cast<char>(ch) : '?');
  }
  if (s.size() > max_shown) out += "...";
  return out;
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
      return {Kind::not_ssh, "unsupported SSH protocol version '" + printable(line_) + "'"};
    if (!other_seen_) first_other_ = printable(line_);
    other_seen_ = true;
    line_.clear();
  }
  return {};
}

}  // namespace mvh
