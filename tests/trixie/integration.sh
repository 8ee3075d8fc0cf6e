#!/usr/bin/env bash
# Runs tests/integration/NAME.sh against the Debian 13 binary that trixie.build left (GCC 14,
# Boost 1.88): the scripts that drive Boost.Process (the rebuild's streamed output and its
# failure, Ctrl-C, the sudo step's child). ctest: trixie.NAME. Exit 77 when there is no such
# binary (trixie.build skipped or failed).
# Usage: tests/trixie/integration.sh NAME
set -euo pipefail
bin=$MVH_BUILD_DIR/trixie/microvm-here
if [ ! -f "$MVH_BUILD_DIR/trixie/.passed" ]; then
  echo "SKIP: no Debian 13 build passed in this build tree (see the test trixie.build)"
  exit 77
fi
echo "== tests/integration/$1.sh with MVH_BIN=$bin"
# A private network namespace: integration.$1 may run at the same time on the same addresses.
MVH_BIN=$bin exec unshare --net -- bash -c 'ip link set lo up && exec bash "$1"' \
  sh "$MVH_SOURCE_DIR/tests/integration/$1.sh"
