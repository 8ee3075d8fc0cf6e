#include "catch_compat.hpp"
#include <string>

#include "core/tcp_table.hpp"

namespace {

// Real lines of /proc/net/tcp and /proc/net/tcp6 (little-endian): an ssh client of
// 127.83.0.5:22, sshd's own end of it, a listener, a TIME_WAIT connection.
const std::string k_tcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
    "   0: 0500537F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0100007F:A1B2 0500537F:0016 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "2 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 0500537F:0016 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 "
    "3 1 0000000000000000 20 4 30 10 -1\n"
    "   3: 0100007F:A1B3 0500537F:0016 06 00000000:00000000 03:00000000 00000000     0        0 "
    "0 3 0000000000000000\n";
const std::string k_tcp6 =
    "  sl  local_address                         remote_address                        st\n"
    "   0: 0000000000000000FFFF00000100007F:B000 0000000000000000FFFF00000500537F:0016 01 "
    "00000000:00000000 00:00000000 00000000  1000        0 4 1\n";

}  // namespace

TEST_CASE("count_established_to counts clients of an address and port", "[tcp_table]")
{
  const mvh::Ipv4 vm = *mvh::Ipv4::parse("127.83.0.5");
  CHECK(mvh::count_established_to(k_tcp, vm, 22) == 1);
  CHECK(mvh::count_established_to(k_tcp6, vm, 22) == 1);
  CHECK(mvh::count_established_to(k_tcp, vm, 2222) == 0);
  CHECK(mvh::count_established_to(k_tcp, *mvh::Ipv4::parse("127.83.0.6"), 22) == 0);
  CHECK(mvh::count_established_to("", vm, 22) == 0);
  CHECK(mvh::count_established_to("garbage\n\n  x", vm, 22) == 0);
}
