#!/usr/bin/env bash
# The whole test suite: dependencies, a sanitizer build with warnings as errors, then ctest.
# Usage: sudo bash tests/run.sh [ctest args...]   (root: the systemd/sudo tests need it)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/tests/install-deps.sh"
build=${MVH_TEST_BUILD_DIR:-$here/build-test}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMVH_SANITIZE=ON \
  -DMVH_WERROR=ON >/dev/null
cmake --build "$build"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
cd "$build"
ctest --output-on-failure --timeout 600 -j2 "$@"
