#!/usr/bin/env bash
# register against the HOST.md example file: exact output, exact file bytes, real Nix, dry-run,
# refusals, and 16 concurrent registers.
# labels: nix
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v nix-instantiate >/dev/null || skip "nix-instantiate (Debian nix-bin) is not installed"

t=$(scratch_dir register)
trap 'rm -rf -- "$t"' EXIT
nix=$t/nixfiles
mkdir -p "$nix/hosts/framework/nixos/microvms" "$t/state"
cp "$MVH_SOURCE_DIR/tests/data/host-profiles.nix" "$nix/hosts/framework/nixos/microvms/profiles.nix"
git -C "$nix" init -q && git -C "$nix" add -A && git -C "$nix" -c user.email=t@t -c user.name=t commit -qm init
export HOME=$t/home XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"  # private, as systemd makes it (README "Threat model")
export MICROVM_HERE_CONFIG=$t/config.toml
printf 'nixfiles = "%s"\n' "$nix" >"$MICROVM_HERE_CONFIG"
profiles=$nix/hosts/framework/nixos/microvms/profiles.nix
before=$(cat "$profiles")

# --dry-run prints the diff and writes nothing
run_capture "$MVH_BIN" register foo --dry-run
assert_eq "dry-run exit" 0 "$rc"
assert_contains "dry-run shows the new entry" '+  foo = {' "$out"
assert_contains "dry-run names the ip" '+    ipAddress = "192.168.83.5";' "$out"
assert_eq "dry-run writes nothing" "$before" "$(cat "$profiles")"

run_capture "$MVH_BIN" register foo
assert_eq "register exit" 0 "$rc"
assert_eq "register output" "registered foo in $profiles
  ipAddress  192.168.83.5
  tapId      microvm3
  mac        02:00:00:00:00:04
  vsockCid   1005
  created    $nix/hosts/microvms/foo/default.nix
  git        both files added with --intent-to-add" "$out"
assert_eq "file is the old one plus exactly the new block" \
  "$(cat "$MVH_SOURCE_DIR/tests/data/host-profiles-plus-foo.nix")" "$(cat "$profiles")"
assert_eq "real Nix evaluates the result" \
  '{"alias-watch":{"ipAddress":"192.168.83.4","mac":"02:00:00:00:00:03","tapId":"microvm2","vsockCid":1004},"foo":{"ipAddress":"192.168.83.5","mac":"02:00:00:00:00:04","tapId":"microvm3","vsockCid":1005},"nixfiles":{"ipAddress":"192.168.83.3","mac":"02:00:00:00:00:02","tapId":"microvm1","vsockCid":1003}}' \
  "$(nix_eval "$profiles")"
assert_contains "git sees both files" "hosts/microvms/foo/default.nix" "$(git -C "$nix" status --porcelain)"
nix-instantiate --parse "$nix/hosts/microvms/foo/default.nix" >/dev/null 2>&1 && ok "home module parses" || not_ok "home module parses"

# twice: refused, nothing changed
after=$(cat "$profiles")
run_capture "$MVH_BIN" register foo
assert_eq "second register exit" 1 "$rc"
assert_eq "second register message" "microvm-here: error: profile 'foo' already exists in $profiles (ipAddress 192.168.83.5); nothing changed" "$err"
assert_eq "second register changes nothing" "$after" "$(cat "$profiles")"
run_capture "$MVH_BIN" register FOO
assert_eq "case clash exit" 1 "$rc"
assert_eq "case clash message" "microvm-here: error: VM name 'FOO' differs only in case from the existing profile 'foo' in $profiles; use 'foo' or pick another name" "$err"
run_capture "$MVH_BIN" register 'bad.name'
assert_eq "invalid name exit" 2 "$rc"

# list
run_capture "$MVH_BIN" list --names
assert_eq "list --names" $'alias-watch\nnixfiles\nfoo' "$out"

# 16 concurrent registers with distinct names
pids=()
for i in $(seq 1 16); do "$MVH_BIN" register "par$i" >"$t/par$i.out" 2>&1 & pids+=($!); done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
assert_eq "16 concurrent registers all succeed" 0 "$fails"
json=$(nix_eval "$profiles")
count=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(len(d))' "$json")
assert_eq "all 19 entries present" 19 "$count"
uniq=$(python3 -c '
import json,sys
d=json.loads(sys.argv[1])
for k in ("ipAddress","tapId","mac","vsockCid"):
    vals=[str(v[k]).lower() for v in d.values()]
    print(k, len(vals)==len(set(vals)))' "$json")
assert_eq "all values unique" $'ipAddress True\ntapId True\nmac True\nvsockCid True' "$uniq"
finish
