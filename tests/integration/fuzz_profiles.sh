#!/usr/bin/env bash
# The profiles.nix fuzzer (tests/fuzz/profiles_fuzz.cpp) for a fixed time over the committed
# seed corpus: any crash, leak, sanitizer report or failed splice/round-trip check fails the
# test. Built with clang in $MVH_BUILD_DIR/fuzz, kept between runs. MVH_FUZZ_SECONDS (default
# 30) sets the time. Skipped when clang with libFuzzer is not installed.
# labels: fuzz
# timeout: 400
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v clang++ >/dev/null || skip "clang++ is not installed (Debian: clang, libclang-rt-14-dev)"
for tool in cmake ninja; do command -v "$tool" >/dev/null || skip "$tool is not installed"; done

# libFuzzer lives in libclang-rt-*-dev, separate from clang: a one-line target tells.
probe=$(mktemp -d "${TMPDIR:-/tmp}/mvh-fuzz-probe-XXXXXX")
trap 'rm -rf -- "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  >"$probe/t.cpp"
clang++ -fsanitize=fuzzer,address "$probe/t.cpp" -o "$probe/t" >"$probe/log" 2>&1 ||
  skip "clang++ cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev): $(head -n 1 "$probe/log")"

MVH_FUZZ_BUILD_DIR=$MVH_BUILD_DIR/fuzz exec bash "$MVH_SOURCE_DIR/tests/fuzz/run.sh" \
  "${MVH_FUZZ_SECONDS:-30}"
