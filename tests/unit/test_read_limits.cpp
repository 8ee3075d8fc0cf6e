// The size limits on what we read (core/read_limits.hpp) and the capped read (sys/capped_read).
#include "catch_compat.hpp"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "core/error.hpp"
#include "core/read_limits.hpp"
#include "sys/capped_read.hpp"
#include "test_support.hpp"

using namespace mvh;
using mvh::test::TempDir;

TEST_CASE("human_size: bytes, KiB and MiB with one decimal", "[read_limits]")
{
  CHECK(human_size(0) == "0 bytes");
  CHECK(human_size(1) == "1 byte");
  CHECK(human_size(1023) == "1023 bytes");
  CHECK(human_size(1024) == "1.0 KiB");
  CHECK(human_size(1536) == "1.5 KiB");
  CHECK(human_size(8 * k_mib) == "8.0 MiB");
}

TEST_CASE("too_large_message names the file, its size and the limit", "[read_limits]")
{
  CHECK(too_large_message("/n/profiles.nix", 8 * k_mib, k_profiles_limit) ==
        "/n/profiles.nix is 8.0 MiB; microvm-here reads at most 4 MiB of profiles.nix: is this "
        "the right file?");
  CHECK(too_large_message("/c", 0, k_config_limit) ==
        "/c is larger than 1 MiB; microvm-here reads at most 1 MiB of a configuration file: is "
        "this the right file?");
}

TEST_CASE("read_file_capped: up to the limit, refused past it, absent is nullopt", "[read_limits]")
{
  TempDir dir("mvh-capped");
  const std::string path = (dir.path / "f").string();
  const ReadLimit limit{10, "a test file", Exit::config};
  CHECK_FALSE(read_file_capped(path, limit).has_value());
  std::ofstream(path) << "0123456789";
  CHECK(read_file_capped(path, limit) == std::optional<std::string>("0123456789"));
  std::ofstream(path) << "0123456789a";
  try {
    read_file_capped(path, limit);
    FAIL("no refusal");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::config);
    CHECK(std::string(e.what()) ==
          path +
              " is 11 bytes; microvm-here reads at most 10 bytes of a test "
              "file: is this the right file?");
  }
  const std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(read_file_capped(fifo, limit) == std::optional<std::string>(""));  // no wait
}
