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

# Some tests run the binary as an unprivileged user (the sudo step, `list` as nobody); a checkout
# inside a `mktemp -d` directory (mode 0700) keeps that user out. While the tests run, let others
# enter and read (o+rx) every directory above the build and source trees that lacks it (inside
# the private systemd's namespace getcwd() walks the parents by hand, which needs read access);
# each mode is put back when ctest ends.
opened=()
for top in "$build" "$here"; do
  p=$top
  while [ "$p" != / ]; do
    if [ $((0$(stat -c %a "$p") & 5)) -ne 5 ]; then
      opened+=("$(stat -c %a "$p"):$p")
      chmod o+rx "$p"
      echo "tests/run.sh: letting other users enter $p while the tests run"
    fi
    p=$(dirname "$p")
  done
done
restore_modes() {
  local e
  for e in ${opened[@]+"${opened[@]}"}; do chmod "${e%%:*}" "${e#*:}"; done
}
trap restore_modes EXIT

cd "$build"
ctest --output-on-failure --timeout 600 -j2 "$@"
