#include "catch_compat.hpp"
#include "core/vm_list.hpp"

using mvh::format_vm_json;
using mvh::format_vm_table;
using mvh::state_text;
using mvh::UnitState;
using mvh::VmListRow;
using mvh::WorkspaceView;

namespace {

VmListRow row(const std::string& name, const std::string& ip)
{
  VmListRow r;
  r.profile.name = name;
  r.profile.ip_address = ip;
  r.profile.tap_id = "microvm1";
  r.profile.mac = "02:00:00:00:00:02";
  return r;
}

UnitState state(const std::string& active, const std::string& sub)
{
  UnitState s;
  s.active_state = active;
  s.sub_state = sub;
  return s;
}

}  // namespace

TEST_CASE("state_text joins ActiveState and SubState, '?' when unknown", "[vm_list]")
{
  CHECK(state_text(state("active", "running")) == "active/running");
  CHECK(state_text(state("activating", "auto-restart")) == "activating/auto-restart");
  CHECK(state_text(std::nullopt) == "?");
}

TEST_CASE("format_vm_table sizes columns to their widest cell", "[vm_list]")
{
  VmListRow a = row("alpha", "127.83.4.131");
  a.profile.vsock_cid = 1131;
  a.installed = true;
  a.state = state("active", "running");
  a.workspace = {WorkspaceView::Kind::link, "/home/u/src/alpha"};
  VmListRow long_name = row("a-much-longer-name", "127.83.4.2");
  long_name.state = state("inactive", "dead");
  CHECK(format_vm_table({a, long_name}) ==
        "NAME                IP            TAP       MAC                CID   INSTALLED  STATE"
        "           WORKSPACE\n"
        "alpha               127.83.4.131  microvm1  02:00:00:00:00:02  1131  yes        "
        "active/running  /home/u/src/alpha\n"
        "a-much-longer-name  127.83.4.2    microvm1  02:00:00:00:00:02  -     no         "
        "inactive/dead   -\n");
}

TEST_CASE("format_vm_table shows unknown state and workspace as '?', missing fields as '-'",
          "[vm_list]")
{
  VmListRow r;
  r.profile.name = "bare";
  r.workspace = {WorkspaceView::Kind::unknown, {}};
  CHECK(format_vm_table({r}) ==
        "NAME  IP  TAP  MAC  CID  INSTALLED  STATE  WORKSPACE\n"
        "bare  -   -    -    -    no         ?      ?\n");
  r.workspace = {WorkspaceView::Kind::not_link, {}};
  CHECK(format_vm_table({r}).find("no         ?      (not a link)\n") != std::string::npos);
}

TEST_CASE("format_vm_table notes a VM without a profile and one on an older generation",
          "[vm_list]")
{
  VmListRow r;
  r.profile.name = "g";
  r.has_profile = false;
  r.installed = true;
  r.state = state("active", "running");
  r.stale = true;
  CHECK(format_vm_table({r}) ==
        "NAME  IP  TAP  MAC  CID  INSTALLED  STATE                                                 "
        "    "
        "WORKSPACE\n"
        "g     -   -    -    -    yes        active/running; no profile; restart to apply the "
        "rebuild  "
        "-\n");
}

TEST_CASE("format_vm_table with no profiles prints the header only", "[vm_list]")
{
  CHECK(format_vm_table({}) == "NAME  IP  TAP  MAC  CID  INSTALLED  STATE  WORKSPACE\n");
}

TEST_CASE("format_vm_table escapes control bytes and pads by display width", "[vm_list]")
{
  VmListRow r = row("x", "127.83.4.3");
  r.workspace = {WorkspaceView::Kind::link, "/src/a\x1b[31m\nb"};
  VmListRow u = row("y", "127.83.4.4");
  u.workspace = {WorkspaceView::Kind::link, "/src/caf\xc3\xa9"};
  const std::string t = format_vm_table({r, u});
  CHECK(t.find("/src/a\\x1b[31m\\nb\n") != std::string::npos);
  CHECK(t.find('\x1b') == std::string::npos);
  CHECK(t.find("/src/caf\xc3\xa9\n") != std::string::npos);
}

TEST_CASE("format_vm_json has the state, null when unknown", "[vm_list]")
{
  VmListRow a = row("alpha", "127.83.4.131");
  a.profile.vsock_cid = 1131;
  a.installed = true;
  a.state = state("active", "running");
  a.workspace = {WorkspaceView::Kind::link, "/src/alpha"};
  VmListRow b;
  b.profile.name = "beta";
  b.workspace = {WorkspaceView::Kind::not_link, {}};
  a.stale = true;
  b.has_profile = false;
  CHECK(format_vm_json({a, b}) == R"J([
  {
    "name": "alpha",
    "ipAddress": "127.83.4.131",
    "tapId": "microvm1",
    "mac": "02:00:00:00:00:02",
    "vsockCid": 1131,
    "installed": true,
    "activeState": "active",
    "subState": "running",
    "workspace": "/src/alpha",
    "profile": true,
    "restartToApply": true
  },
  {
    "name": "beta",
    "ipAddress": null,
    "tapId": null,
    "mac": null,
    "vsockCid": null,
    "installed": false,
    "activeState": null,
    "subState": null,
    "workspace": "(not a link)",
    "profile": false,
    "restartToApply": false
  }
]
)J");
  CHECK(format_vm_json({}) == "[]\n");
}

TEST_CASE("format_vm_json survives a path that is not UTF-8", "[vm_list]")
{
  VmListRow r = row("x", "127.83.4.3");
  r.workspace = {WorkspaceView::Kind::link, "/src/\xff"};
  CHECK(format_vm_json({r}).find("\"workspace\": \"/src/\\ufffd\"") != std::string::npos);
}

TEST_CASE("format_names_json is a JSON array of the names", "[vm_list]")
{
  std::vector<mvh::ProfileEntry> profiles(2);
  profiles[0].name = "seed";
  profiles[1].name = "my-project";
  CHECK(mvh::format_names_json(profiles) == "[\n  \"seed\",\n  \"my-project\"\n]\n");
  CHECK(mvh::format_names_json({}) == "[]\n");
}
