#include "core/printable.hpp"

namespace mvh {
namespace {

void append_escaped(std::string& out, char c, bool escape_quotes)
{
  static constexpr char hex[] = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  if (c == '\n') {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c == '\t') {
    out += "\\t";
  } else if (byte < 0x20 || byte == 0x7f) {
    out += "\\x";
    out.push_back(hex[byte >> 4]);
    out.push_back(hex[byte & 0xf]);
  } else if (escape_quotes && (c == '"' || c == '\\')) {
    out.push_back('\\');
    out.push_back(c);
  } else {
    out.push_back(c);
  }
}

}  // namespace

std::string printable(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  for (char c : s) append_escaped(out, c, false);
  return out;
}

std::string quoted(std::string_view s)
{
  std::string out = "\"";
  for (char c : s) append_escaped(out, c, true);
  out.push_back('"');
  return out;
}

}  // namespace mvh
