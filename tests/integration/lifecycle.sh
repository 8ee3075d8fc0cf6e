#!/usr/bin/env bash
# A VM's life after profiles.nix: a VM removed from the file by hand (installed, running) is
# still listed, stoppable, and its address, tap and MAC are never handed to a new VM;
# `unregister` stops, unlinks and removes the entry byte for byte; status/list flag a VM that
# runs an older generation than the rebuild installed. Real systemd (private namespaces),
# stand-in VMs, real nix-instantiate.
# labels: root sshd nix
# timeout: 180
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
mvh_new_test_dir lifecycle
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.9
t=$MVH_TEST_DIR
profiles=$t/nixfiles/vms/profiles.nix
original=$(cat "$profiles")

# 1. ghost (.131): registered, installed and running, then removed from profiles.nix by hand.
ghost=$(new_repo ghost)
cd "$ghost"
run_capture mvh -- true
assert_eq "ghost starts and is entered" 0 "$rc"
printf '%s\n' "$original" >"$profiles"
run_capture mvh list
assert_eq "list exit" 0 "$rc"
assert_contains "list shows the ghost as running without a profile" "active/running; no profile" "$out"
run_capture mvh list --json
assert_eq "list --json: the ghost has no profile" "ghost False active" \
  "$(printf '%s' "$out" | python3 -c '
import json, sys
print(*[(r["name"], r["profile"], r["activeState"]) for r in json.load(sys.stdin) if r["name"] == "ghost"][0])')"
# Not installed any more but still running: found through the unit (ListUnitsByPatterns)
mv "$MVH_STATE_DIR/ghost/current" "$MVH_STATE_DIR/ghost/current.off"
run_capture mvh list --json
assert_eq "list --json: a running unit without profile or runner" "ghost False False active" \
  "$(printf '%s' "$out" | python3 -c '
import json, sys
print(*[(r["name"], r["profile"], r["installed"], r["activeState"]) for r in json.load(sys.stdin) if r["name"] == "ghost"][0])')"
mv "$MVH_STATE_DIR/ghost/current.off" "$MVH_STATE_DIR/ghost/current"
run_capture mvh status nosuchvm
assert_not_contains "a unit merely loaded by status is not listed" "nosuchvm" "$(mvh list)"

# 2. a new VM never gets what the ghost's runner still holds: the stand-in's runner passes the
# address; microvm.nix's qemu runner also names the tap and MAC (appended here as it writes them)
printf '%s\n' '# -netdev tap,id=vm-ghost,ifname=microvm2 -device virtio-net-device,netdev=vm-ghost,mac=02:00:00:00:00:03' \
  >>"$MVH_STATE_DIR/ghost/current/bin/microvm-run"
cd /
run_capture mvh register fresh
assert_eq "register fresh" 0 "$rc"
assert_contains "fresh skips the ghost's address" "  ipAddress  127.83.9.132" "$out"
assert_contains "fresh skips the ghost's tap" "  tapId      microvm3" "$out"
assert_contains "fresh skips the ghost's MAC" "  mac        02:00:00:00:00:04" "$out"

# 3. stop sees the ghost
run_capture mvh stop ghost
assert_eq "stop ghost exit" 0 "$rc"
assert_eq "stop ghost" "microvm-here: stopped microvm@ghost.service" "$err"

# 4. a running VM after a rebuild installed a new generation: restart to apply it
alpha=$(new_repo alpha)
cd "$alpha"
before_alpha=$(cat "$profiles")
run_capture mvh -- true
assert_eq "alpha starts and is entered" 0 "$rc"
"$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" alpha sshd 127.83.9.133 >/dev/null
run_capture mvh status
assert_contains "status flags the old generation" \
  "installed  yes; running an older generation: restart to apply the rebuild (microvm-here --restart)" "$out"
run_capture mvh list
assert_contains "list flags the old generation" "active/running; restart to apply the rebuild" "$out"

# -n reads the real unit and link: running and linked, so no "would link / would start"
run_capture mvh -n -- true
assert_eq "dry run exit" 0 "$rc"
assert_eq "dry run describes the machine" "link $t/workspaces/alpha -> $alpha is already in place
microvm@alpha.service is already active/running: would not start it and wait up to 20s for SSH on 127.83.9.133:22
note: it runs an older generation than the installed one: restart to apply the rebuild (--restart)" \
  "$(printf '%s\n' "$out" | head -n 3)"
# --rebuild runs the rebuild although the VM is installed (and running)
count=$(cat "$t/rebuild-count")
run_capture mvh --rebuild -- true
assert_eq "--rebuild exit" 0 "$rc"
assert_eq "--rebuild ran the rebuild once" "$((count + 1))" "$(cat "$t/rebuild-count")"
assert_contains "--rebuild says the VM still runs the old generation" \
  "microvm-here: warning: microvm@alpha.service runs an older generation than the installed one; 'microvm-here --restart' applies the rebuild" "$err"
run_capture mvh --rebuild --no-rebuild -- true
assert_eq "--rebuild with --no-rebuild" "2 microvm-here: error: --rebuild and --no-rebuild contradict each other; give one of them" "$rc $err"

# 5. unregister: stop, unlink, remove the entry (the file is byte for byte what it was), keep
# the Home Manager file
run_capture mvh unregister alpha
assert_eq "unregister alpha exit" 0 "$rc"
assert_eq "unregister alpha output" "unregistered alpha
  unit       stopped microvm@alpha.service
  workspace  removed $t/workspaces/alpha
  profile    removed from $profiles
  home file  kept $t/nixfiles/vms/home/alpha/default.nix (--delete-home-file removes it)
  next       rebuild the host to uninstall it: $MVH_HARNESS/fake-rebuild.sh (in $t/nixfiles)" "$out"
assert_eq "unregister says it stopped" "microvm-here: stopped microvm@alpha.service" "$err"
assert_eq "profiles.nix is byte for byte the one before alpha" "$before_alpha" "$(cat "$profiles")"
assert_eq "the workspace link is gone" "no" "$([ -e "$t/workspaces/alpha" ] || [ -L "$t/workspaces/alpha" ] && echo yes || echo no)"
assert_eq "the Home Manager file is kept" "yes" "$([ -f "$t/nixfiles/vms/home/alpha/default.nix" ] && echo yes || echo no)"
run_capture mvh unregister alpha --delete-home-file
assert_eq "unregister of an installed VM without a profile" "0 unregistered alpha
  unit       microvm@alpha.service was not running
  workspace  none
  profile    none in $profiles
  home file  deleted $t/nixfiles/vms/home/alpha/default.nix
  next       rebuild the host to uninstall it: $MVH_HARNESS/fake-rebuild.sh (in $t/nixfiles)" "$rc $out"
assert_eq "the home directory stays" "yes" "$([ -d "$t/nixfiles/vms/home/alpha" ] && echo yes || echo no)"

# 6. bad input
run_capture mvh unregister
assert_eq "unregister without NAME" "2 microvm-here: error: unregister needs the NAME of the VM to remove; usage: microvm-here unregister NAME" "$rc $err"
run_capture mvh unregister nosuch
assert_eq "unregister of nothing" "1 microvm-here: error: no VM named 'nosuch': no profile in $profiles, nothing installed in $MVH_STATE_DIR/nosuch and microvm@nosuch.service is not running; nothing changed" "$rc $err"

# 7. the rebuild program is missing: doctor says so, and a run stops before registering (exit 4)
sed -i "s|^rebuild = .*|rebuild = [\"no-such-rebuild\"]|" "$MICROVM_HERE_CONFIG"
cd "$(new_repo beta)"
before_beta=$(cat "$profiles")
run_capture mvh -- true
assert_eq "a missing rebuild program stops the run" "4 microvm-here: error: 'no-such-rebuild' (the 'rebuild' command) is not on PATH; install it or set 'rebuild' in $MICROVM_HERE_CONFIG (nothing was changed)" "$rc $err"
assert_eq "nothing was registered" "$before_beta" "$(cat "$profiles")"
# duplicates and an address outside the subnet
cat >>"$profiles.tmp" <<EOS
{
  a = { ipAddress = "127.83.9.140"; tapId = "microvm9"; mac = "02:00:00:00:00:AA"; vsockCid = 7; };
  b = { ipAddress = "127.83.9.140"; tapId = "microvm9"; mac = "02:00:00:00:00:aa"; vsockCid = 7; };
  c = { ipAddress = "10.1.2.3"; };
}
EOS
mv "$profiles.tmp" "$profiles"
run_capture mvh doctor
assert_eq "doctor fails" 1 "$rc"
assert_contains "doctor: the rebuild program" "FAIL rebuild: 'no-such-rebuild' (the 'rebuild' command) is not on PATH; fix: install it or set 'rebuild' in $MICROVM_HERE_CONFIG (a run that needs a rebuild stops before changing anything)" "$out"
assert_contains "doctor: duplicate ipAddress" "FAIL profiles $profiles: ipAddress 127.83.9.140 is used by both 'a' and 'b'; fix: give 'b' its own ipAddress" "$out"
assert_contains "doctor: duplicate tapId" "FAIL profiles $profiles: tapId microvm9 is used by both 'a' and 'b'; fix: give 'b' its own tapId" "$out"
assert_contains "doctor: duplicate mac (any case)" "FAIL profiles $profiles: mac 02:00:00:00:00:aa is used by both 'a' and 'b'; fix: give 'b' its own mac" "$out"
assert_contains "doctor: duplicate vsockCid" "FAIL profiles $profiles: vsockCid 7 is used by both 'a' and 'b'; fix: give 'b' its own vsockCid" "$out"
assert_contains "doctor: outside the subnet" "FAIL profiles $profiles: 'c' has ipAddress 10.1.2.3 outside the subnet 127.83.9.128/26; fix: use an address inside 127.83.9.128/26 or change 'subnet' in $MICROVM_HERE_CONFIG" "$out"
finish
