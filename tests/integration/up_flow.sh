#!/usr/bin/env bash
# The default command end to end on a real systemd + system bus (private namespaces), stand-in
# VMs running a real sshd, and the real ssh client: create-and-enter from a fresh repository,
# the second run without rebuild, argument quoting, ssh's exit status, and every failure mode
# with its exit code and message.
# labels: root sshd nix
# timeout: 400
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
mvh_new_test_dir up_flow
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128
t=$MVH_TEST_DIR

# 1. create and enter, from a fresh repository
repo=$(new_repo alpha)
cd "$repo"
run_capture mvh -- printf '%s\n' 'a b' '$HOME' 'x;y' '%s'
assert_eq "create-and-enter exit" 0 "$rc"
assert_eq "remote command output keeps argument boundaries" $'a b\n$HOME\nx;y\n%s' "$out"
assert_contains "says it registers" "microvm-here: no profile for 'alpha' yet: registering it" "$err"
assert_contains "prints the registration" "registered alpha in $t/nixfiles/vms/profiles.nix" "$err$out"
assert_contains "rebuilds" "microvm-here: rebuilding the host for alpha: $MVH_HARNESS/fake-rebuild.sh" "$err"
assert_contains "starts the unit" "microvm-here: starting microvm@alpha.service" "$err"
assert_eq "one rebuild" 1 "$(cat "$t/rebuild-count")"
assert_eq "workspace link points at the repo" "$repo" "$(readlink "$t/workspaces/alpha")"
assert_eq "profile allocated" "127.83.0.131" "$(nix_eval "$t/nixfiles/vms/profiles.nix" | python3 -c 'import json,sys; print(json.load(sys.stdin)["alpha"]["ipAddress"])')"
assert_eq "unit is active" "active" "$(on_host systemctl is-active microvm@alpha.service || true)"

# 2. again: no rebuild, no start job, straight in
run_capture mvh -v -- true
assert_eq "second run exit" 0 "$rc"
assert_eq "no second rebuild" 1 "$(cat "$t/rebuild-count")"
assert_not_contains "no start the second time" "starting microvm@alpha" "$err"
assert_not_contains "no registration the second time" "registering" "$err"
assert_contains "second run shows the final argv" "exec: ssh -F $HOME/.ssh/config -- microvm-alpha true" "$err"
assert_contains "second run takes the instant path" "instant path: microvm@alpha.service run" "$err"
run_capture env LD_DEBUG=files nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" "$MVH_BIN" -- true
assert_eq "instant path exit" 0 "$rc"
assert_not_contains "instant path loads no libsystemd" "libsystemd.so" "$err"
assert_not_contains "instant path loads no libssh" "libssh.so" "$err"
# A stamp whose profile address no longer matches (an edited ipAddress) is not trusted.
stamp=$XDG_RUNTIME_DIR/microvm-here/ready/alpha
awk '{ $4 = "127.83.0.99"; print }' "$stamp" >"$stamp.new" && mv "$stamp.new" "$stamp"
run_capture mvh -v -- true
assert_eq "stale stamp: exit" 0 "$rc"
assert_not_contains "stale stamp: no instant path" "instant path:" "$err"

# 3. ssh's exit status is ours
run_capture mvh -- sh -c 'exit 7'
assert_eq "remote exit status passes through" 7 "$rc"

# 4. --dry-run changes nothing
repo2=$(new_repo beta)
cd "$repo2"
before=$(cat "$t/nixfiles/vms/profiles.nix")
run_capture mvh --dry-run
assert_eq "dry-run exit" 0 "$rc"
assert_contains "dry-run shows the rebuild" "would run: $MVH_HARNESS/fake-rebuild.sh (in $t/nixfiles)" "$out"
assert_contains "dry-run shows the link" "would link $t/workspaces/beta -> $repo2" "$out"
assert_contains "dry-run shows the argv" "would run: ssh -F $HOME/.ssh/config -- microvm-beta" "$out"
assert_eq "dry-run leaves profiles.nix alone" "$before" "$(cat "$t/nixfiles/vms/profiles.nix")"
[ ! -e "$t/workspaces/beta" ] && ok "dry-run makes no link" || not_ok "dry-run makes no link"

# 5. a crash-looping VM: exit 5 with its log
repo=$(new_repo crashy)
echo crash >"$t/behaviour/crashy"
cd "$repo"
run_capture mvh -- true
assert_eq "crash loop exit" 5 "$rc"
assert_contains "crash loop message" "microvm-here: error: Failed to start microvm@crashy.service: it keeps crashing (restarted 2 times" "$err"
assert_contains "crash loop shows the VM's log" "stand-in VM: guest crashed" "$err"
assert_contains "crash loop says where to look" 'See "systemctl status microvm@crashy.service" and "journalctl -u microvm@crashy.service" for details.' "$err"
assert_contains "crash loop: the unit this run started is stopped" 'Stopped microvm@crashy.service (this run started it), so that it does not keep restarting.' "$err"
assert_eq "crash loop: the unit no longer restarts" "inactive" "$(on_host systemctl is-active microvm@crashy.service || true)"
# A crash loop this run did not start (someone started the unit): left alone, with the way out.
on_host systemctl start --no-block microvm@crashy.service
wait_until 30 sh -c "nsenter -t $MVH_SD_PID -m -p systemctl show -P NRestarts microvm@crashy.service | grep -qv '^0$'"
run_capture mvh -- true
assert_eq "crash loop not ours: exit" 5 "$rc"
assert_contains "crash loop not ours: how to stop it" "microvm@crashy.service was running before this run and keeps restarting; stop it with: microvm-here stop crashy" "$err"
case $(on_host systemctl is-active microvm@crashy.service || true) in
  active | activating) ok "crash loop not ours: left as it was" ;;
  *) not_ok "crash loop not ours: left as it was" ;;
esac
on_host systemctl stop microvm@crashy.service

# 6. a VM that never answers: exit 6 naming the last probe outcome
repo=$(new_repo silent)
echo hang >"$t/behaviour/silent"
cd "$repo"
run_capture mvh --timeout 2 -- true
assert_eq "timeout exit" 6 "$rc"
assert_contains "timeout message" "microvm-here: error: SSH on 127.83.0.133:22 did not answer within 2s; last probe: refused (connection refused); microvm@silent.service is active/running" "$err"
assert_contains "timeout shows the VM's log" "hanging before the network comes up" "$err"
on_host systemctl stop microvm@silent.service

# 7. a port that accepts but never sends a banner is not ready
repo=$(new_repo mute)
echo nobanner >"$t/behaviour/mute"
cd "$repo"
run_capture mvh --timeout 2 -- true
assert_eq "no-banner exit" 6 "$rc"
assert_contains "no-banner message" "last probe: no banner" "$err"
on_host systemctl stop microvm@mute.service

# 8. not installed (--no-rebuild on a new profile): the condition is unmet
repo=$(new_repo fresh)
cd "$repo"
run_capture mvh --no-rebuild -- true
assert_eq "not installed exit" 5 "$rc"
assert_contains "not installed message" "Failed to start microvm@fresh.service: the VM is not installed (ConditionPathExists is not met" "$err"

# 9. a failing rebuild: exit 4 with its last lines and the log
repo=$(new_repo broken)
touch "$t/rebuild-fails"
cd "$repo"
run_capture mvh -- true
rm -f "$t/rebuild-fails"
assert_eq "rebuild failure exit" 4 "$rc"
assert_contains "rebuild failure shows the last lines" "error: attribute 'microvm' missing" "$err"
assert_contains "rebuild failure names the log" "Full output: $XDG_STATE_HOME/microvm-here/rebuild.log" "$err"

# 10. Ctrl-C while waiting: exit 130, the unit keeps running
repo=$(new_repo waiter)
echo hang >"$t/behaviour/waiter"
cd "$repo"
set +e
mvh -- true >"$t/int.out" 2>"$t/int.err" &
pid=$!
wait_until 20 on_host systemctl is-active -q microvm@waiter.service
sleep 0.5
# Ctrl-C reaches the foreground process itself (the background subshell ignores SIGINT).
kill -INT "$(pgrep -n -f "^$MVH_BIN -- true\$")"
wait "$pid"
rc=$?
set -e
assert_eq "Ctrl-C exit" 130 "$rc"
assert_contains "Ctrl-C message" "microvm-here: error: interrupted while waiting for SSH on 127.83.0." "$(cat "$t/int.err")"
on_host systemctl stop microvm@waiter.service

# 11. a file where the workspace link should go: refused, untouched
repo=$(new_repo keepme)
echo "precious" >"$t/workspaces/keepme"
cd "$repo"
run_capture mvh -- true
assert_eq "file in the way exit" 1 "$rc"
assert_contains "file in the way message" "workspace path $t/workspaces/keepme is a file, not a link microvm-here made; it was left untouched" "$err"
assert_eq "file in the way is untouched" "precious" "$(cat "$t/workspaces/keepme")"

# 12. status and stop
cd "$MVH_TEST_DIR/repos/alpha"
run_capture mvh status
assert_contains "status shows the unit" "unit       microvm@alpha.service: active/running" "$out"
assert_contains "status shows reachability" "reachable  yes (SSH banner)" "$out"
run_capture mvh stop
assert_eq "stop exit" 0 "$rc"
assert_eq "stopped" "inactive" "$(on_host systemctl is-active microvm@alpha.service || true)"

# 13. the same name from another checkout while the VM runs: refused before anything changes;
# `--here alpha` keeps the running VM as it is (and says so), `--here --restart alpha` switches it
# (a new InvocationID) and re-points the link (tests/integration/names.sh has the rest)
cd "$MVH_TEST_DIR/repos/alpha"
run_capture mvh -- true
assert_eq "alpha up again" 0 "$rc"
inv1=$(on_host systemctl show -P InvocationID microvm@alpha.service)
other=$MVH_TEST_DIR/elsewhere/alpha
mkdir -p "$other" && git -C "$other" init -q
cd "$other"
run_capture mvh -- true
assert_eq "other checkout: exit 2" 2 "$rc"
assert_contains "other checkout: names the repository the VM serves" \
  "microvm-here: error: VM 'alpha' already serves $MVH_TEST_DIR/repos/alpha, another repository with the same name; nothing was changed." "$err"
run_capture mvh --here alpha -- true
assert_eq "other checkout, --here: exit" 0 "$rc"
assert_contains "other checkout, --here: says what the running VM sees" \
  "microvm-here: warning: VM 'alpha' is running with the workspace $MVH_TEST_DIR/repos/alpha; 'microvm-here --here --restart alpha' switches it to $other" "$err"
assert_eq "other checkout: no restart without --restart" "$inv1" "$(on_host systemctl show -P InvocationID microvm@alpha.service)"
run_capture mvh --here --restart alpha -- true
assert_eq "--restart: exit" 0 "$rc"
assert_contains "--restart: restarts" "microvm-here: restarting microvm@alpha.service" "$err"
inv2=$(on_host systemctl show -P InvocationID microvm@alpha.service)
[ -n "$inv2" ] && [ "$inv1" != "$inv2" ] && ok "--restart: a new InvocationID" || not_ok "--restart: a new InvocationID ($inv1 -> $inv2)"
assert_eq "--restart: link points at the other checkout" "$other" "$(readlink "$t/workspaces/alpha")"
on_host systemctl stop microvm@alpha.service
cd "$MVH_TEST_DIR/repos/alpha"
run_capture mvh -- true
assert_contains "back to the first checkout while stopped: its own VM again" \
  "microvm-here: VM 'alpha' now sees $MVH_TEST_DIR/repos/alpha instead of $other" "$err"
on_host systemctl stop microvm@alpha.service

# 14. a non-empty directory where the link should go: refused, untouched
repo=$(new_repo filled)
mkdir -p "$t/workspaces/filled" && echo keep >"$t/workspaces/filled/notes"
cd "$repo"
run_capture mvh -- true
assert_eq "non-empty dir exit" 1 "$rc"
assert_contains "non-empty dir message" "workspace path $t/workspaces/filled is a directory with files" "$err"
assert_eq "non-empty dir untouched" "keep" "$(cat "$t/workspaces/filled/notes")"
finish
