#include "core/status_format.hpp"

namespace mvh {
namespace {

constexpr char32_t invalid_cp = 0xFFFFFFFF;

struct CodePoint {
  char32_t value;   // invalid_cp for a byte that does not start valid UTF-8
  std::size_t len;  // bytes consumed, at least 1
};

bool is_cont(unsigned char c)
{
  return (c & 0xC0) == 0x80;
}

// Decodes one code point at the front of s (RFC 3629: no overlongs, no surrogates).
CodePoint decode(std::string_view s)
{
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return {invalid_cp, 1};
  }
  if (s.size() < len || b(1) < lo || b(1) > hi) return {invalid_cp, 1};
  for (std::size_t i = 2; i < len; ++i)
    if (!is_cont(b(i))) return {invalid_cp, 1};
  char32_t v = c & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) v = (v << 6) | (b(i) & 0x3F);
  return {v, len};
}

bool in(char32_t v, char32_t lo, char32_t hi)
{
  return v >= lo && v <= hi;
}

std::size_t width_of(char32_t v)
{
  if (v == invalid_cp) return 1;
  if (in(v, 0x0300, 0x036F) || in(v, 0x1AB0, 0x1AFF) || in(v, 0x1DC0, 0x1DFF) ||
      in(v, 0x200B, 0x200F) || in(v, 0x20D0, 0x20FF) || in(v, 0xFE00, 0xFE0F) ||
      in(v, 0xFE20, 0xFE2F))
    return 0;
  if (in(v, 0x1100, 0x115F) || in(v, 0x2E80, 0x303E) || in(v, 0x3041, 0x33FF) ||
      in(v, 0x3400, 0x4DBF) || in(v, 0x4E00, 0x9FFF) || in(v, 0xA000, 0xA4CF) ||
      in(v, 0xAC00, 0xD7A3) || in(v, 0xF900, 0xFAFF) || in(v, 0xFE30, 0xFE4F) ||
      in(v, 0xFF00, 0xFF60) || in(v, 0xFFE0, 0xFFE6) || in(v, 0x1F300, 0x1F64F) ||
      in(v, 0x1F900, 0x1F9FF) || in(v, 0x20000, 0x3FFFD))
    return 2;
  return 1;
}

// Length of the escape sequence starting with ESC at the front of s.
std::size_t escape_length(std::string_view s)
{
  if (s.size() < 2) return s.size();
  if (s[1] == '[') {  // CSI: parameters and intermediates, then a final byte 0x40-0x7E
    std::size_t i = 2;
    while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
    return i < s.size() ? i + 1 : i;
  }
  if (s[1] == ']') {  // OSC: ends with BEL or ESC backslash
    for (std::size_t i = 2; i < s.size(); ++i) {
      if (s[i] == '\a') return i + 1;
      if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '\\') return i + 2;
    }
    return s.size();
  }
  return 2;
}

std::string_view trim(std::string_view s)
{
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string sanitize_for_terminal(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text[0]);
    if (c == 0x1B) {
      text.remove_prefix(escape_length(text));
      continue;
    }
    const CodePoint cp = decode(text);
    if (cp.value == invalid_cp) {
      out += '?';
    } else if (cp.value < 0x20 || cp.value == 0x7F || in(cp.value, 0x80, 0x9F)) {
      out += ' ';
    } else {
      out.append(text.substr(0, cp.len));
    }
    text.remove_prefix(cp.len);
  }
  return out;
}

std::size_t display_width(std::string_view utf8)
{
  std::size_t w = 0;
  while (!utf8.empty()) {
    const CodePoint cp = decode(utf8);
    w += width_of(cp.value);
    utf8.remove_prefix(cp.len);
  }
  return w;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width)
{
  if (width == 0) return {};
  if (display_width(utf8) <= width) return std::string(utf8);
  std::size_t used = 0, keep = 0;
  std::string_view rest = utf8;
  while (!rest.empty()) {
    const CodePoint cp = decode(rest);
    const std::size_t w = width_of(cp.value);
    if (used + w > width - 1) break;
    used += w;
    keep += cp.len;
    rest.remove_prefix(cp.len);
  }
  return std::string(utf8.substr(0, keep)) + "\u2026";
}

std::string format_status(std::string_view phase, std::string_view detail, std::size_t width)
{
  std::string text = std::string(trim(sanitize_for_terminal(phase)));
  const std::string clean_detail = sanitize_for_terminal(detail);
  const std::string_view d = trim(clean_detail);
  if (!d.empty()) {
    text += " \u2014 ";
    text += d;
  }
  return truncate_to_width(text, width);
}

}  // namespace mvh
