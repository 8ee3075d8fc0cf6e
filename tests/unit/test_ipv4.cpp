#include "catch_compat.hpp"
#include "core/ipv4.hpp"

using mvh::Ipv4;
using mvh::Subnet;

TEST_CASE("Ipv4::parse accepts dotted quads and str() round-trips", "[ipv4]")
{
  auto a = Ipv4::parse("192.168.83.5");
  REQUIRE(a);
  CHECK(a->value == 0xC0A85305u);
  CHECK(a->str() == "192.168.83.5");
  CHECK(Ipv4::parse("0.0.0.0")->value == 0);
  CHECK(Ipv4::parse("255.255.255.255")->value == 0xFFFFFFFFu);
  CHECK(Ipv4{0x0A000001u}.str() == "10.0.0.1");
}

TEST_CASE("Ipv4::parse rejects anything but four plain octets", "[ipv4]")
{
  for (const char* s :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", " 1.2.3.4", "1.2.3.4 ",
        "1..3.4", "1.2.3.", "a.b.c.d", "+1.2.3.4", "-1.2.3.4", "1.2.3.4/24", "4294967296.1.1.1"}) {
    INFO(s);
    CHECK_FALSE(Ipv4::parse(s));
  }
}

TEST_CASE("Ipv4 compares by value", "[ipv4]")
{
  CHECK(*Ipv4::parse("10.0.0.2") < *Ipv4::parse("10.0.1.1"));
  CHECK(*Ipv4::parse("10.0.0.2") == Ipv4{0x0A000002u});
}

TEST_CASE("Subnet::parse, contains, broadcast, size", "[ipv4]")
{
  auto s = Subnet::parse("192.168.83.0/24");
  REQUIRE(s);
  CHECK(s->str() == "192.168.83.0/24");
  CHECK(s->prefix == 24);
  CHECK(s->size() == 256);
  CHECK(s->broadcast().str() == "192.168.83.255");
  CHECK(s->contains(*Ipv4::parse("192.168.83.0")));
  CHECK(s->contains(*Ipv4::parse("192.168.83.255")));
  CHECK_FALSE(s->contains(*Ipv4::parse("192.168.84.1")));

  auto b = Subnet::parse("10.20.0.0/16");
  REQUIRE(b);
  CHECK(b->size() == 65536);
  CHECK(b->broadcast().str() == "10.20.255.255");
  CHECK(b->contains(*Ipv4::parse("10.20.200.3")));

  auto all = Subnet::parse("0.0.0.0/0");
  REQUIRE(all);
  CHECK(all->size() == (std::uint64_t{1} << 32));
  CHECK(all->contains(*Ipv4::parse("8.8.8.8")));
  CHECK(all->broadcast().str() == "255.255.255.255");

  auto one = Subnet::parse("10.0.0.7/32");
  REQUIRE(one);
  CHECK(one->size() == 1);
  CHECK(one->broadcast().str() == "10.0.0.7");
}

TEST_CASE("Subnet::parse rejects host bits, bad prefixes and junk", "[ipv4]")
{
  for (const char* s :
       {"192.168.83.1/24", "192.168.83.0", "192.168.83.0/33", "192.168.83.0/", "192.168.83.0/-1",
        "192.168.83.0/024", "192.168.83.0/24 ", "/24", "192.168.83.0/2x"}) {
    INFO(s);
    CHECK_FALSE(Subnet::parse(s));
  }
}
