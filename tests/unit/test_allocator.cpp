#include "catch_compat.hpp"
#include "core/allocator.hpp"
#include "core/error.hpp"

using namespace mvh;

namespace {

ProfileEntry vm(const std::string& name, std::optional<std::string> ip,
                std::optional<std::string> tap = std::nullopt,
                std::optional<std::string> mac = std::nullopt,
                std::optional<std::int64_t> cid = std::nullopt)
{
  ProfileEntry e;
  e.name = name;
  e.ip_address = std::move(ip);
  e.tap_id = std::move(tap);
  e.mac = std::move(mac);
  e.vsock_cid = cid;
  e.has_vsock_field = cid.has_value();
  return e;
}

const Subnet net24 = *Subnet::parse("192.168.83.0/24");
const Ipv4 gw24 = *Ipv4::parse("192.168.83.1");

}  // namespace

TEST_CASE("allocate: first VM in an empty subnet gets .3/microvm1/:02/1003", "[allocator]")
{
  Allocation a = allocate({}, net24, gw24, true, "/etc/microvm-here/config.toml");
  CHECK(a.ip.str() == "192.168.83.3");
  CHECK(a.tap_id == "microvm1");
  CHECK(a.mac == "02:00:00:00:00:02");
  CHECK(a.vsock_cid == 1003);
  CHECK_FALSE(allocate({}, net24, gw24, false, "c").vsock_cid);
}

TEST_CASE("allocate: the HOST.md profiles give the next number", "[allocator]")
{
  std::vector<ProfileEntry> v = {
      vm("alias-watch", "192.168.83.4", "microvm2", "02:00:00:00:00:03", 1004),
      vm("nixfiles", "192.168.83.3", "microvm1", "02:00:00:00:00:02", 1003)};
  Allocation a = allocate(v, net24, gw24, true, "c");
  CHECK(a.ip.str() == "192.168.83.5");
  CHECK(a.tap_id == "microvm3");
  CHECK(a.mac == "02:00:00:00:00:04");
  CHECK(a.vsock_cid == 1005);
}

TEST_CASE("allocate: fills the lowest gap", "[allocator]")
{
  std::vector<ProfileEntry> v = {vm("a", "192.168.83.3", "microvm1", "02:00:00:00:00:02", 1003),
                                 vm("c", "192.168.83.5", "microvm3", "02:00:00:00:00:04", 1005)};
  Allocation a = allocate(v, net24, gw24, true, "c");
  CHECK(a.ip.str() == "192.168.83.4");
  CHECK(a.tap_id == "microvm2");
  CHECK(a.mac == "02:00:00:00:00:03");
  CHECK(a.vsock_cid == 1004);
}

TEST_CASE("allocate: taken tap, mac and cid fall back to the lowest free value", "[allocator]")
{
  // .3 is free but its tap, MAC (other case) and CID are used by entries elsewhere.
  std::vector<ProfileEntry> v = {vm("x", "192.168.83.10", "microvm1", "02:00:00:00:00:0A", 1003),
                                 vm("y", "192.168.83.11", "microvm2", "02:00:00:00:00:02", 3),
                                 vm("z", std::nullopt, "microvm3", std::nullopt, 4)};
  Allocation a = allocate(v, net24, gw24, true, "c");
  CHECK(a.ip.str() == "192.168.83.3");
  CHECK(a.tap_id == "microvm4");
  CHECK(a.mac == "02:00:00:00:00:03");
  CHECK(a.vsock_cid == 5);
}

TEST_CASE("allocate: MAC comparison ignores case", "[allocator]")
{
  std::vector<ProfileEntry> v = {vm("x", "10.0.0.99", "tapx", "02:00:00:00:00:0A", std::nullopt)};
  Subnet s = *Subnet::parse("192.168.83.0/24");
  // K = 11 would want :0a, which "02:00:00:00:00:0A" already has.
  std::vector<ProfileEntry> w = v;
  for (int k = 3; k <= 10; ++k)
    w.push_back(vm("f" + std::to_string(k), "192.168.83." + std::to_string(k)));
  Allocation a = allocate(w, s, gw24, false, "c");
  CHECK(a.ip.str() == "192.168.83.11");
  CHECK(a.mac == "02:00:00:00:00:02");
}

TEST_CASE("allocate: unknown values reserve nothing, foreign IPs are ignored", "[allocator]")
{
  std::vector<ProfileEntry> v = {vm("a", std::nullopt), vm("b", "not an ip"), vm("c", "10.1.1.3")};
  Allocation a = allocate(v, net24, gw24, true, "c");
  CHECK(a.ip.str() == "192.168.83.3");
  CHECK(a.vsock_cid == 1003);
}

TEST_CASE("allocate: never the gateway, even at offset 3", "[allocator]")
{
  Allocation a = allocate({}, net24, *Ipv4::parse("192.168.83.3"), true, "c");
  CHECK(a.ip.str() == "192.168.83.4");
  CHECK(a.tap_id == "microvm2");
  CHECK(a.mac == "02:00:00:00:00:03");
  CHECK(a.vsock_cid == 1004);
}

TEST_CASE("allocate: full /29 names the subnet, the count and the config file", "[allocator]")
{
  Subnet s = *Subnet::parse("10.9.0.8/29");  // hosts .9-.14, gateway .9, usable .11-.14
  Ipv4 gw = *Ipv4::parse("10.9.0.9");
  std::vector<ProfileEntry> v;
  for (int h = 11; h <= 13; ++h)
    v.push_back(vm("v" + std::to_string(h), "10.9.0." + std::to_string(h)));
  CHECK(allocate(v, s, gw, false, "c").ip.str() == "10.9.0.14");
  v.push_back(vm("v14", "10.9.0.14"));
  try {
    allocate(v, s, gw, false, "/home/u/.config/microvm-here/config.toml");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
    CHECK(std::string(e.what()) ==
          "no free address in 10.9.0.8/29 (5 in use); widen 'subnet' in "
          "/home/u/.config/microvm-here/config.toml");
  }
}

TEST_CASE("allocate: full /24 reports 253 in use (252 profiles + the gateway)", "[allocator]")
{
  std::vector<ProfileEntry> v;
  for (int h = 3; h <= 254; ++h)
    v.push_back(vm("v" + std::to_string(h), "192.168.83." + std::to_string(h)));
  try {
    allocate(v, net24, gw24, true, "/etc/microvm-here/config.toml");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "no free address in 192.168.83.0/24 (253 in use); widen 'subnet' in "
          "/etc/microvm-here/config.toml");
  }
}

TEST_CASE("allocate: subnets too small for offset 3 are full", "[allocator]")
{
  Subnet s30 = *Subnet::parse("10.0.0.0/30");
  CHECK_THROWS_WITH(allocate({}, s30, *Ipv4::parse("10.0.0.1"), false, "c"),
                    "no free address in 10.0.0.0/30 (1 in use); widen 'subnet' in c");
}

TEST_CASE("allocate: /16 goes past 255 with two-octet MACs", "[allocator]")
{
  Subnet s = *Subnet::parse("10.20.0.0/16");
  Ipv4 gw = *Ipv4::parse("10.20.0.1");
  std::vector<ProfileEntry> v;
  for (std::uint32_t k = 3; k < 257; ++k)
    v.push_back(vm("v", Ipv4{s.network.value + k}.str(), "microvm" + std::to_string(k - 2)));
  Allocation a = allocate(v, s, gw, true, "c");
  CHECK(a.ip.str() == "10.20.1.1");  // K = 257
  CHECK(a.tap_id == "microvm255");
  CHECK(a.mac == "02:00:00:00:01:00");
  CHECK(a.vsock_cid == 1257);
}
