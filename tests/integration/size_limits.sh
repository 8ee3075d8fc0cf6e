#!/usr/bin/env bash
# Size limits on what microvm-here reads (README "Guarantees"): an oversized profiles.nix,
# configuration file or trust list is refused before it is parsed, with a message naming the
# file and the limit; the `cd` hook says so in one line and stays quick; a huge file or a FIFO
# at `.git` never makes it read or wait. Also pins that trust is by path only (README "Threat
# model"): a directory replaced at a trusted path stays trusted, a moved repository is not.
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state
unset XDG_RUNTIME_DIR MICROVM_HERE_NAME MICROVM_HERE_PROFILE MICROVM_HERE_HOOK MICROVM_HERE_HOOK_PID
mkdir -p "$HOME" "$t/nix"
profiles=$t/nix/profiles.nix
printf '{ }:\n{\n  foo = { ipAddress = "127.83.0.5"; };\n}\n' >"$profiles"
cp "$profiles" "$t/good.nix"
printf 'nixfiles = "%s/nix"\nprofiles = "profiles.nix"\nsubnet = "127.83.0.0/24"\nhook = "enter"\n' "$t" >"$t/config.toml"
export MICROVM_HERE_CONFIG=$t/config.toml
mkdir -p "$t/repos/foo" && git -C "$t/repos/foo" init -q
cd "$t/repos/foo"
yes=$'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1'

# big FILE SIZE: FILE filled with a Nix comment up to SIZE bytes after its current content
big() { { cat "$1"; printf '#'; head -c "$(($2 - $(stat -c %s "$1") - 2))" /dev/zero | tr '\0' x; echo; } >"$1.tmp" && mv "$1.tmp" "$1"; }

# profiles.nix: 4 MiB is read, one byte more is refused.
big "$profiles" $((4 * 1024 * 1024))
run_capture "$MVH_BIN" list --names
assert_eq "profiles.nix of exactly 4 MiB: read" "0|foo" "$rc|$out"
big "$profiles" $((8 * 1024 * 1024))
msg="$profiles is 8.0 MiB; microvm-here reads at most 4 MiB of profiles.nix: is this the right file?"
run_capture "$MVH_BIN" list
assert_eq "list, 8 MiB profiles.nix" "3|microvm-here: error: $msg" "$rc|$err"
run_capture "$MVH_BIN" register foo
assert_eq "register, 8 MiB profiles.nix" "3|microvm-here: error: $msg" "$rc|$err"
run_capture "$MVH_BIN" hook-env bash
assert_eq "hook-env, 8 MiB profiles.nix: one line" "1|microvm-here: hook: $msg" "$rc|$err"
assert_eq "hook-env, 8 MiB profiles.nix: no variables (cleared, not stale)" "" "$out"
cp "$t/good.nix" "$profiles"
run_capture "$MVH_BIN" hook-env bash
assert_eq "hook-env, good profiles.nix" "0|$yes"$'\nunset __microvm_here_enter' "$rc|$out"

# Configuration files: 1 MiB.
cp "$t/config.toml" "$t/big.toml"
big "$t/big.toml" $((2 * 1024 * 1024 + 100))
msg="$t/big.toml is 2.0 MiB; microvm-here reads at most 1 MiB of a configuration file: is this the right file?"
run_capture "$MVH_BIN" --config "$t/big.toml" list
assert_eq "list, 2 MiB --config" "3|microvm-here: error: $msg" "$rc|$err"
run_capture env MICROVM_HERE_CONFIG="$t/big.toml" "$MVH_BIN" hook-env bash
assert_eq "hook-env, 2 MiB config" "1|microvm-here: hook: $msg|" "$rc|$err|$out"
mkfifo "$t/fifo.toml"
run_capture timeout 5 "$MVH_BIN" --config "$t/fifo.toml" list
assert_eq "a FIFO as config without a writer reads as empty, no wait" "3" "$rc"
assert_contains "... and is named" "$t/fifo.toml" "$err"

# The trust list: 1 MiB.
trusted=$XDG_STATE_HOME/microvm-here/trusted
mkdir -p "${trusted%/*}"
{ echo /x; head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' x; echo; } >"$trusted"
msg="$trusted is 1.0 MiB; microvm-here reads at most 1 MiB of its trust list: is this the right file?"
run_capture "$MVH_BIN" trust
assert_eq "trust, oversized list" "1|microvm-here: error: $msg" "$rc|$err"
run_capture "$MVH_BIN" hook-env bash
assert_eq "hook-env, oversized trust list" "1|microvm-here: hook: $msg" "$rc|$err"
rm "$trusted"

# `.git`: a huge file or a FIFO is not a repository, read in a blink, never waited on.
mkdir -p "$t/repos/bar"
cd "$t/repos/bar"
printf 'gitdir: /nowhere\n' >.git
head -c $((64 * 1024 * 1024)) /dev/zero >>.git
run_capture timeout 5 "$MVH_BIN" hook-env bash
assert_eq "hook-env, 64 MiB .git file (a gitdir pointer: a repository)" "0||export MICROVM_HERE_NAME=bar"$'\nunset __microvm_here_enter' "$rc|$err|$out"
if command -v strace >/dev/null; then
  reads=$(strace -e trace=read -e signal=none "$MVH_BIN" hook-env bash 2>&1 >/dev/null | grep -c 'gitdir' || true)
  assert_eq "only the 'gitdir:' prefix of .git is read" "1" "$reads"
fi
rm .git && mkfifo .git
run_capture timeout 5 "$MVH_BIN" hook-env bash
assert_eq "hook-env, FIFO at .git: no wait, no repository" "0||" "$rc|$err|$out"
rm .git

# Trust is by path (README "Threat model").
cd "$t/repos/foo"
"$MVH_BIN" trust 2>/dev/null
run_capture "$MVH_BIN" hook-env bash
assert_eq "trusted" "$yes"$'\n__microvm_here_enter=foo' "$out"
cd "$t" && mv repos/foo repos/foo.old && mkdir repos/foo && git -C repos/foo init -q && cd repos/foo
run_capture "$MVH_BIN" hook-env bash
assert_eq "a directory replaced at a trusted path stays trusted" "$yes"$'\n__microvm_here_enter=foo' "$out"
mkdir "$t/elsewhere" && mv "$t/repos/foo.old" "$t/elsewhere/foo" && cd "$t/elsewhere/foo"
run_capture "$MVH_BIN" hook-env bash
assert_eq "a moved repository is no longer trusted" "$yes"$'\nunset __microvm_here_enter' "$out"
finish
