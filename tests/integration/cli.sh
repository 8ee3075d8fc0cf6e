#!/usr/bin/env bash
# The command line: name derivation on real directories and git worktrees, help, "did you
# mean", usage errors with exit 2, and that startup loads no libssh/libsystemd/Boost.
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
t=$(mktemp -d)  # not under the build tree: that is inside this repository
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_RUNTIME_DIR=$t/run
mkdir -p "$HOME"

mkdir -p "$t/x/My Repo.v2/sub/dir"
git -C "$t/x/My Repo.v2" init -q
run_capture bash -c "cd '$t/x/My Repo.v2/sub/dir' && '$MVH_BIN' name"
assert_eq "name in a subdirectory of 'My Repo.v2'" "My-Repo-v2" "$out"
assert_eq "name prints nothing else" "" "$err"
run_capture "$MVH_BIN" name "$t/x/My Repo.v2/sub"
assert_eq "name PATH" "My-Repo-v2" "$out"

# A worktree: its own root, not the main checkout's.
git -C "$t/x/My Repo.v2" -c user.email=t@t -c user.name=t commit -q --allow-empty -m init
git -C "$t/x/My Repo.v2" worktree add -q "$t/wt/feature.x" 2>/dev/null
mkdir -p "$t/wt/feature.x/deep"
run_capture bash -c "cd '$t/wt/feature.x/deep' && '$MVH_BIN' name"
assert_eq "name in a worktree uses the worktree root" "feature-x" "$out"

# Symlinked path resolves to the real root.
ln -s "$t/x/My Repo.v2" "$t/link"
run_capture bash -c "cd '$t/link/sub' && '$MVH_BIN' name"
assert_eq "name through a symlink" "My-Repo-v2" "$out"

# Outside a repo: no name; say so and stop.
mkdir -p "$t/plain/foo.nvim"
run_capture "$MVH_BIN" name "$t/plain/foo.nvim"
assert_eq "name outside a repo: exit 2" "2|" "$rc|$out"
assert_eq "name outside a repo: message" "microvm-here: error: '$t/plain/foo.nvim' is not inside a git repository; cd into a repository, or share this directory with a VM anyway: microvm-here --share-any-dir" "$err"
mkdir -p "$t/plain/..."
git -C "$t/plain/..." init -q
run_capture "$MVH_BIN" name "$t/plain/..."
assert_eq "underivable name exit" 2 "$rc"
assert_contains "underivable name message" "microvm-here: error: cannot derive a VM name from '$t/plain/...'; name it: microvm-here NAME" "$err"

# Help, version, did-you-mean, usage errors.
run_capture "$MVH_BIN" --help
assert_eq "--help exit" 0 "$rc"
for c in name register list status stop logs hook trust untrust doctor; do
  assert_contains "--help lists $c" "microvm-here $c" "$out"
done
assert_contains "--help lists exit codes" "6    SSH not ready before the deadline" "$out"
run_capture "$MVH_BIN" --version
assert_contains "--version" "microvm-here " "$out"
run_capture "$MVH_BIN" lsit
assert_eq "typo exit" 2 "$rc"
assert_contains "typo suggests" "unknown command 'lsit' (did you mean 'list'?)" "$err"
run_capture "$MVH_BIN" list --jsno
assert_eq "bad option exit" 2 "$rc"
assert_eq "bad option message" "microvm-here: error: unknown option '--jsno' for 'microvm-here list' (did you mean '--json'?); see 'microvm-here list --help'" "$err"
run_capture "$MVH_BIN" name a b
assert_eq "surplus argument exit" 2 "$rc"
assert_eq "surplus argument message" "microvm-here: error: too many arguments for 'microvm-here name': 'b'; usage: microvm-here name [PATH]" "$err"

run_capture "$MVH_BIN" rm X
assert_eq "unknown command with an argument: exit" 2 "$rc"
assert_eq "unknown command with an argument: message" "microvm-here: error: no such command 'rm'; commands: name, register, unregister, list, status, stop, logs, hook, trust, untrust, doctor, help. If 'rm' is a VM, a command for it goes after '--': microvm-here rm -- X" "$err"
run_capture "$MVH_BIN" stpo X
assert_eq "misspelt command with an argument: exit" 2 "$rc"
assert_contains "misspelt command with an argument: did you mean" "microvm-here: error: no such command 'stpo' (did you mean 'stop'?); commands: " "$err"

# The fast paths load no heavy library (README "Design").
heavy=$(ldd "$MVH_BIN" | grep -E 'libssh|libsystemd|libboost' || true)
assert_eq "binary links no libssh/libsystemd/Boost" "" "$heavy"
loaded=$(cd "$t/x/My Repo.v2" && LD_DEBUG=files "$MVH_BIN" name 2>&1 >/dev/null | grep -oE 'lib(ssh|systemd|boost)[^ ]*' | sort -u || true)
assert_eq "'name' loads no libssh/libsystemd/Boost at run time" "" "$loaded"
finish
