#!/usr/bin/env bash
# Builds the profiles.nix fuzzer with clang in its own build dir (MVH_FUZZ_BUILD_DIR, default
# build-fuzz; kept between runs) and runs it for N seconds (first argument, default 60) over a
# copy of the seed corpus with nix.dict. Crash inputs are written to <build dir>/fuzz-artifacts/.
# Prints the executions, executions per second and the corpus size before and after.
# Exit status: the fuzzer's (0 = no crash, no leak, no failed check).
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${MVH_FUZZ_BUILD_DIR:-$src/build-fuzz}

mkdir -p "$build"
if ! { CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMVH_FUZZ=ON -DMVH_TESTS=OFF -DMVH_SANITIZE=OFF && ninja -C "$build" profiles_fuzz; } \
  >"$build/fuzz-build.log" 2>&1; then
  tail -n 40 "$build/fuzz-build.log" >&2
  echo "profiles_fuzz: the build failed; full log in $build/fuzz-build.log" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mvh-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/fuzz-artifacts"
cp "$src"/tests/fuzz/corpus/* "$work/corpus/"

status=0
seeds=$(ls "$work/corpus" | wc -l)
# -timeout: one input taking 10 s is a failure (a hang), not a slow test; leaks are checked
# (LeakSanitizer) after every input that allocates more than it frees.
"$build/tests/fuzz/profiles_fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
  -detect_leaks=1 -dict="$src/tests/fuzz/nix.dict" -artifact_prefix="$build/fuzz-artifacts/" \
  "$work/corpus" >"$work/log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
per_sec=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
final=$(ls "$work/corpus" | wc -l)
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/log" >&2
  echo "profiles_fuzz: FAILED after ${runs:-?} runs (exit $status); see $build/fuzz-artifacts/" >&2
  exit "$status"
fi
echo "profiles_fuzz: ${runs:-?} runs in ${seconds}s (${per_sec:-?}/s), corpus $seeds -> $final files, no failure"
