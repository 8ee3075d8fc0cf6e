#include "catch_compat.hpp"
#include "sys/status_line.hpp"

#include <cstdio>
#include <string>

namespace {

// Everything a StatusLine wrote to a temporary file (not a terminal: width 80).
struct Capture {
  std::FILE* file = std::tmpfile();
  ~Capture() { std::fclose(file); }
  std::string text()
  {
    std::fflush(file);
    std::rewind(file);
    std::string s;
    char buf[256];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) s.append(buf, n);
    return s;
  }
};

}  // namespace

TEST_CASE("StatusLine on a terminal redraws one line in place", "[status_line]")
{
  Capture cap;
  {
    mvh::StatusLine line(cap.file, true, false);
    line.update("Rebuilding", "evaluating");
    line.update("Rebuilding", "building x");
    line.println("warning: slow");
    line.clear();
    line.clear();
    line.update("Starting VM");
  }
  CHECK(cap.text() ==
        "\rRebuilding \xe2\x80\x94 evaluating\x1b[K"
        "\rRebuilding \xe2\x80\x94 building x\x1b[K"
        "\r\x1b[K"
        "warning: slow\n"
        "\rRebuilding \xe2\x80\x94 building x\x1b[K"
        "\r\x1b[K"
        "\rStarting VM\x1b[K"
        "\r\x1b[K");  // the destructor leaves the cursor on an empty line
}

TEST_CASE("StatusLine parked at column 0 yields its line to a prompt and comes back",
          "[status_line]")
{
  Capture cap;
  {
    mvh::StatusLine line(cap.file, true, false);
    line.park_cursor(true);
    line.update("rebuild 1s", "building");
    // A password prompt goes here, from column 0; what is left of ours right of it goes.
    line.yield();
    line.update("rebuild 2s", "building");  // not drawn while yielded
    line.yield();                           // nothing live: nothing to erase
    line.resume();
    line.update("rebuild 3s", "done");
  }
  CHECK(cap.text() ==
        "\rrebuild 1s \xe2\x80\x94 building\x1b[K\r"
        "\x1b[K"
        "\rrebuild 3s \xe2\x80\x94 done\x1b[K\r"
        "\r\x1b[K");
}

TEST_CASE("StatusLine on a terminal cuts to the width minus one column", "[status_line]")
{
  Capture cap;
  mvh::StatusLine line(cap.file, true, false);
  line.update("P", std::string(200, 'x'));
  const std::string out = cap.text();
  // "\r" + 78 columns + "…" (3 bytes) + "\x1b[K": 79 columns, the last one left free.
  CHECK(out == "\rP \xe2\x80\x94 " + std::string(74, 'x') + "\xe2\x80\xa6\x1b[K");
}

TEST_CASE("StatusLine elsewhere prints each phase once", "[status_line]")
{
  Capture cap;
  {
    mvh::StatusLine line(cap.file, false, false);
    line.update("Rebuilding", "evaluating");
    line.update("Rebuilding", "building x");
    line.note("rebuild done");
    line.update("Starting VM", "");
    line.update("Rebuilding");
    line.println("error: x");
  }
  CHECK(cap.text() == "Rebuilding\nrebuild done\nStarting VM\nRebuilding\nerror: x\n");
}

TEST_CASE("StatusLine in quiet mode prints only println", "[status_line]")
{
  for (const bool tty : {true, false}) {
    Capture cap;
    {
      mvh::StatusLine line(cap.file, tty, true);
      line.update("Rebuilding", "x");
      line.note("rebuild done");
      line.println("error: x");
      line.clear();
    }
    CHECK(cap.text() == "error: x\n");
  }
}
