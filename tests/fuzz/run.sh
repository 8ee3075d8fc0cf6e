#!/usr/bin/env bash
# Builds the profiles.nix fuzzer with clang in its own build dir and runs it for N seconds
# (first argument, default 60) over a copy of the seed corpus. Crash inputs are written to
# <build dir>/fuzz-artifacts/. Exit status: the fuzzer's (0 = no crash).
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${MVH_FUZZ_BUILD_DIR:-$src/build-fuzz}

CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMVH_FUZZ=ON -DMVH_TESTS=OFF -DMVH_SANITIZE=OFF >/dev/null
ninja -C "$build" profiles_fuzz >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/mvh-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/fuzz-artifacts"
cp "$src"/tests/fuzz/corpus/* "$work/corpus/"

status=0
"$build/tests/fuzz/profiles_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$build/fuzz-artifacts/" "$work/corpus" >"$work/log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/log" >&2
  echo "profiles_fuzz: FAILED after ${runs:-?} runs (exit $status); see $build/fuzz-artifacts/" >&2
  exit "$status"
fi
echo "profiles_fuzz: ${runs:-?} runs in ${seconds}s, no failure"
