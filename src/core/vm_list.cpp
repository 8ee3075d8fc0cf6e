#include "core/vm_list.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/printable.hpp"
#include "core/status_format.hpp"

namespace mvh {
namespace {

constexpr std::size_t column_count = 8;
using Line = std::array<std::string, column_count>;

std::string workspace_text(const WorkspaceView& w)
{
  switch (w.kind) {
    case WorkspaceView::Kind::link:
      return printable(w.target);
    case WorkspaceView::Kind::not_link:
      return "(not a link)";
    case WorkspaceView::Kind::unknown:
      return "?";
    case WorkspaceView::Kind::absent:
      break;
  }
  return "-";
}

Line cells(const VmListRow& r)
{
  const ProfileEntry& p = r.profile;
  return {printable(p.name),
          printable(p.ip_address.value_or("-")),
          printable(p.tap_id.value_or("-")),
          printable(p.mac.value_or("-")),
          p.vsock_cid ? std::to_string(*p.vsock_cid) : "-",
          r.installed ? "yes" : "no",
          state_text(r.state) + (r.has_profile ? "" : "; no profile") +
              (r.stale ? "; restart to apply the rebuild" : ""),
          workspace_text(r.workspace)};
}

nlohmann::ordered_json optional_json(const std::optional<std::string>& v)
{
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

std::string state_text(const std::optional<UnitState>& state)
{
  if (!state) return "?";
  return state->active_state + "/" + state->sub_state;
}

std::string format_vm_table(const std::vector<VmListRow>& rows)
{
  std::vector<Line> lines;
  lines.reserve(rows.size() + 1);
  lines.push_back({"NAME", "IP", "TAP", "MAC", "CID", "INSTALLED", "STATE", "WORKSPACE"});
  for (const auto& r : rows) lines.push_back(cells(r));
  std::array<std::size_t, column_count> width{};
  for (const auto& l : lines)
    for (std::size_t c = 0; c < column_count; ++c)
      width[c] = std::max(width[c], display_width(l[c]));
  std::string out;
  for (const auto& l : lines) {
    for (std::size_t c = 0; c + 1 < column_count; ++c) {
      out += l[c];
      out.append(width[c] - display_width(l[c]) + 2, ' ');
    }
    out += l[column_count - 1] + "\n";
  }
  return out;
}

std::string format_names_json(const std::vector<ProfileEntry>& profiles)
{
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& p : profiles) arr.push_back(p.name);
  return arr.dump(2) + "\n";
}

std::string format_vm_json(const std::vector<VmListRow>& rows)
{
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    const ProfileEntry& p = r.profile;
    nlohmann::ordered_json o;
    o["name"] = p.name;
    o["ipAddress"] = optional_json(p.ip_address);
    o["tapId"] = optional_json(p.tap_id);
    o["mac"] = optional_json(p.mac);
    o["vsockCid"] = p.vsock_cid ? nlohmann::ordered_json(*p.vsock_cid) : nullptr;
    o["installed"] = r.installed;
    o["activeState"] = r.state ? nlohmann::ordered_json(r.state->active_state) : nullptr;
    o["subState"] = r.state ? nlohmann::ordered_json(r.state->sub_state) : nullptr;
    switch (r.workspace.kind) {
      case WorkspaceView::Kind::link:
        o["workspace"] = r.workspace.target;
        break;
      case WorkspaceView::Kind::not_link:
        o["workspace"] = "(not a link)";
        break;
      default:
        o["workspace"] = nullptr;
        break;
    }
    o["profile"] = r.has_profile;
    o["restartToApply"] = r.stale;
    arr.push_back(o);
  }
  // Invalid UTF-8 in a path must not make dump() throw: replace it. ASCII only (\uXXXX), so
  // the JSON shown on a terminal carries no C1 or bidi control, and still parses to the text.
  return arr.dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mvh
