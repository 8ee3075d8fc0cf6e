// An installed VM without a profile: what its runner holds, and that the allocator never hands
// those values to a new VM.
#include "catch_compat.hpp"

#include "core/allocator.hpp"
#include "core/installed_vm.hpp"

using namespace mvh;

namespace {

const Subnet net24 = *Subnet::parse("192.168.83.0/24");
const Ipv4 gw24 = *Ipv4::parse("192.168.83.1");

// The shape of microvm.nix's qemu runner (one line of it) and of the test stand-in's.
const std::string qemu_runner =
    "#! /nix/store/x-bash/bin/bash -e\nexec -a microvm@ghost qemu-system-x86_64 -name ghost "
    "-M microvm -netdev tap,id=vm-ghost,ifname=microvm1,script=no,downscript=no "
    "-device virtio-net-device,netdev=vm-ghost,mac=02:00:00:00:00:02 "
    "-append 'ip=192.168.83.3::192.168.83.1:255.255.255.0 10.0.0.9'\n";

}  // namespace

TEST_CASE("values_in_runner finds tap, MAC and the addresses inside the subnet", "[allocator]")
{
  auto v = values_in_runner("ghost", qemu_runner, net24);
  std::vector<std::string> seen;
  for (const auto& e : v) {
    CHECK(e.name == "ghost");
    seen.push_back(e.tap_id ? "tap " + *e.tap_id
                   : e.mac  ? "mac " + *e.mac
                            : "ip " + e.ip_address.value_or("?"));
  }
  CHECK(seen == std::vector<std::string>{"tap microvm1", "mac 02:00:00:00:00:02", "ip 192.168.83.3",
                                         "ip 192.168.83.1"});
  CHECK(values_in_runner("x", "exec run --net tap=vm7,mac=02:AA:00:00:00:0f", net24).size() == 2);
  CHECK(values_in_runner("x", "ifname= 1.2.3.4 02:00:00:00:00:0 192.168.83.300", net24).empty());
}

TEST_CASE("allocate skips what an installed VM without a profile still uses", "[allocator]")
{
  ProfileEntry other;
  other.name = "other";
  other.ip_address = "192.168.83.4";
  other.tap_id = "microvm2";
  other.mac = "02:00:00:00:00:03";
  std::vector<ProfileEntry> taken{other};
  Allocation plain = allocate(taken, net24, gw24, false, "c");
  CHECK(plain.ip.str() == "192.168.83.3");  // what the ghost holds, without its runner
  for (auto& e : values_in_runner("ghost", qemu_runner, net24)) taken.push_back(e);
  Allocation a = allocate(taken, net24, gw24, false, "c");
  CHECK(a.ip.str() == "192.168.83.5");
  CHECK(a.tap_id == "microvm3");
  CHECK(a.mac == "02:00:00:00:00:04");
}

TEST_CASE("unit_glob and name_of_unit follow the unit template", "[allocator]")
{
  CHECK(unit_glob("microvm@{name}.service") == "microvm@*.service");
  CHECK(name_of_unit("microvm@{name}.service", "microvm@a-b.service") == "a-b");
  CHECK_FALSE(name_of_unit("microvm@{name}.service", "microvm@.service"));
  CHECK_FALSE(name_of_unit("microvm@{name}.service", "other@a.service"));
  CHECK_FALSE(name_of_unit("fixed.service", "fixed.service"));
}
