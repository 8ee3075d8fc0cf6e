#include "core/printable.hpp"

#include <cstdint>

namespace mvh {
namespace {

constexpr char hex[] = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char byte)
{
  out += "\\x";
  out.push_back(hex[byte >> 4]);
  out.push_back(hex[byte & 0xf]);
}

// The length of the valid UTF-8 sequence at the start of s and its code point; 0 when the
// first byte does not start one (stray continuation, overlong form, surrogate, > U+10FFFF,
// truncated).
std::size_t utf8_sequence(std::string_view s, std::uint32_t& cp)
{
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2, cp = b0 & 0x1fu, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3, cp = b0 & 0x0fu, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

// C1 controls and the code points that reorder or hide text (Unicode bidi controls).
bool dangerous(std::uint32_t cp)
{
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_code_point_escape(std::string& out, std::uint32_t cp)
{
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(cp >> shift) & 0xf]);
}

void append_ascii(std::string& out, char c, Keep keep)
{
  const auto byte = static_cast<unsigned char>(c);
  const bool keep_newline = keep == Keep::newline || keep == Keep::layout;
  const bool keep_tab = keep == Keep::tab || keep == Keep::layout;
  if (c == '\n' && !keep_newline) {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c == '\t' && !keep_tab) {
    out += "\\t";
  } else if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) {
    append_byte_escape(out, byte);
  } else {
    out.push_back(c);
  }
}

}  // namespace

std::string printable(std::string_view s, Keep keep)
{
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    if (static_cast<unsigned char>(s[0]) < 0x80) {
      append_ascii(out, s[0], keep);
      s.remove_prefix(1);
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = utf8_sequence(s, cp);
    if (len == 0) {
      append_byte_escape(out, static_cast<unsigned char>(s[0]));
      s.remove_prefix(1);
    } else {
      if (dangerous(cp))
        append_code_point_escape(out, cp);
      else
        out.append(s.substr(0, len));
      s.remove_prefix(len);
    }
  }
  return out;
}

std::string quoted(std::string_view s)
{
  std::string out = "\"";
  while (!s.empty()) {
    const std::size_t special = s.find_first_of("\"\\");
    out += printable(s.substr(0, special));
    if (special == std::string_view::npos) break;
    out.push_back('\\');
    out.push_back(s[special]);
    s.remove_prefix(special + 1);
  }
  out.push_back('"');
  return out;
}

}  // namespace mvh
