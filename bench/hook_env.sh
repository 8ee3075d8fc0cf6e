#!/usr/bin/env bash
# How fast is the hook's per-`cd` call? Compares, with hyperfine, in a repository with a
# profile:
#   - `microvm-here hook-env bash`,
#   - a static C "hello world" (gcc -static): the floor for starting any process,
#   - the same hello linked dynamically (gcc default): the floor for a program that loads
#     libc.so, as microvm-here must (it dlopen()s libsystemd and libssh),
#   - `direnv export bash` in a directory with an allowed .envrc (the usual peer).
# Prints the medians and the ratios. Not a test: speed is never asserted.
# The binary is copied first: how a file was written (linker vs cp) changes the page-cache
# folios behind it and so the cost of mapping it; a copy is what an install does.
# usage: bench/hook_env.sh [path/to/microvm-here]   (default: build-release/microvm-here)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/build-release/microvm-here}")
[ -x "$bin" ] || { echo "bench: no binary at $bin; build it (Release) or pass its path" >&2; exit 2; }
for tool in hyperfine gcc direnv python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done

t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
# Nothing of the user's: config, state, direnv's allow list all live in $t.
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_DATA_HOME=$t/data
export XDG_CACHE_HOME=$t/cache DIRENV_CONFIG=$t/direnv-config XDG_RUNTIME_DIR=$t/run
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE DIRENV_DIR DIRENV_FILE DIRENV_DIFF DIRENV_WATCHES
mkdir -p "$HOME" "$t/nix" "$DIRENV_CONFIG" "$XDG_RUNTIME_DIR"

# A profiles.nix of realistic size: 30 entries.
{
  echo "{ }:"
  echo "{"
  for i in $(seq 2 31); do
    printf '  vm%d = {\n    ipAddress = "127.83.0.%d";\n    tapId = "microvm%d";\n' "$i" "$i" "$i"
    printf '    mac = "02:00:00:00:00:%02x";\n    vsockCid = %d;\n  };\n\n' "$i" "$((1000 + i))"
  done
  echo "}"
} >"$t/nix/profiles.nix"
cat >"$t/config.toml" <<CFG
nixfiles = "$t/nix"
profiles = "profiles.nix"
subnet = "127.83.0.0/24"
CFG
export MICROVM_HERE_CONFIG=$t/config.toml
repo=$t/src/vm17
mkdir -p "$repo/deep/er"
git -C "$repo" init -q
echo 'export BENCH=1' >"$repo/.envrc"
(cd "$repo" && direnv allow . >/dev/null 2>&1)

printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$t/hello.c"
gcc -O2 -static -o "$t/hello" "$t/hello.c"
gcc -O2 -o "$t/hello-dynamic" "$t/hello.c"
cp "$bin" "$t/microvm-here"
bin=$t/microvm-here

cd "$repo/deep/er"
# hook-env caches the profile names of a profiles.nix whose last change is at least 2 s old
# (in $XDG_RUNTIME_DIR): let this one age, as a file edited more than 2 s before a `cd` has.
sleep 2
out=$("$bin" hook-env bash)
[ "$out" = $'export MICROVM_HERE_NAME=vm17\nexport MICROVM_HERE_PROFILE=1' ] ||
  { echo "bench: unexpected hook-env output: $out" >&2; exit 1; }

hyperfine -N --warmup 50 --runs 500 --export-json "$t/r.json" \
  -n "static C hello" "$t/hello" \
  -n "dynamic C hello" "$t/hello-dynamic" \
  -n "microvm-here hook-env bash" "$bin hook-env bash" \
  -n "direnv export bash" "direnv export bash" >"$t/hyperfine.txt" 2>&1 ||
  { cat "$t/hyperfine.txt" >&2; exit 1; }

python3 - "$t/r.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["static C hello"]["median"]
hook = r["microvm-here hook-env bash"]["median"]
for name, x in r.items():
    print("%-28s median %7.3f ms  (%.2fx static hello)" % (name, x["median"] * 1e3, x["median"] / base))
d = r["direnv export bash"]["median"]
dyn = r["dynamic C hello"]["median"]
print("hook-env is %.2fx the static hello (%.2fx the dynamic one) and %.1fx faster than direnv"
      % (hook / base, hook / dyn, d / hook))
PY
