// insert_profile and the Nix spelling of names and strings: new bytes are spliced in at one
// offset so every byte the user wrote stays as it was.
#include "core/error.hpp"
#include "core/nix_lexer.hpp"
#include "core/profiles.hpp"

namespace mvh {

namespace {

// The whitespace that starts the line containing off.
std::string_view line_indent(std::string_view text, std::size_t off)
{
  std::size_t start = off == 0 ? std::string_view::npos : text.rfind('\n', off - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  std::size_t end = text.find_first_not_of(" \t", start);
  return text.substr(start, (end == std::string_view::npos ? text.size() : end) - start);
}

// True when the line that ends just before off (off is at a line start) has only whitespace.
bool previous_line_blank(std::string_view text, std::size_t off)
{
  if (off == 0) return false;
  std::size_t end = off - 1;  // the '\n'
  std::size_t start = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  return text.substr(start, end - start).find_first_not_of(" \t\r") == std::string_view::npos;
}

bool is_bare_name(std::string_view s)
{
  if (s.empty() || is_nix_keyword(s)) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '\'' && c != '-') return false;
  return true;
}

}  // namespace

std::string nix_string(std::string_view s)
{
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c == '$' && i + 1 < s.size() && s[i + 1] == '{')
      out += "\\$";
    else
      out += c;
  }
  return out + "\"";
}

std::string nix_attr_name(std::string_view name)
{
  return is_bare_name(name) ? std::string(name) : nix_string(name);
}

std::string insert_profile(std::string_view text, const ProfilesFile& file, const NewProfile& p)
{
  if (!file.editable || file.insert_offset > text.size())
    throw Error(Exit::failure,
                "cannot add profile '" + p.name +
                    "': the profiles file has no attribute set literal to add it to");
  const std::string& nl = file.newline;
  const std::size_t off = file.insert_offset;
  const bool own_line = off > 0 && text[off - 1] == '\n';
  std::string block;
  if (!own_line) block += nl;  // the closing brace shares its line with other text
  if (!file.entries.empty() && file.blank_line_between &&
      (!own_line || !previous_line_blank(text, off)))
    block += nl;
  const std::string& ei = file.entry_indent;
  const std::string& fi = file.field_indent;
  block += ei + nix_attr_name(p.name) + " = {" + nl;
  block += fi + "ipAddress = " + nix_string(p.ip_address) + ";" + nl;
  block += fi + "tapId = " + nix_string(p.tap_id) + ";" + nl;
  block += fi + "mac = " + nix_string(p.mac) + ";" + nl;
  if (p.vsock_cid) block += fi + "vsockCid = " + std::to_string(*p.vsock_cid) + ";" + nl;
  block += ei + "};" + nl;
  if (!own_line) block += line_indent(text, file.open_offset);
  std::string out;
  out.reserve(text.size() + block.size());
  out.append(text.substr(0, off)).append(block).append(text.substr(off));
  return out;
}

}  // namespace mvh
