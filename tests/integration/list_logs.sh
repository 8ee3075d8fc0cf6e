#!/usr/bin/env bash
# `list` with each VM's state (installed?, unit state, workspace link) and `logs` on a real
# systemd + journal (private namespaces) with stand-in VMs: the table and JSON, an unreachable
# bus, `list --names` staying off the bus, the log lines as journalctl shows them, `-n`, `-f`
# across a restart, unknown names, and a journal the user may not read.
# labels: root sshd
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
mvh_new_test_dir list_logs
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.4
t=$MVH_TEST_DIR
profiles=$t/nixfiles/vms/profiles.nix

# seed (.130): installed, never started. alpha (.131): installed, running, linked by the default
# command. gamma (.132): registered only, and a plain file where its workspace link would go.
"$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" seed hang 127.83.4.130
alpha=$(new_repo alpha)
cd "$alpha"
run_capture mvh register
assert_eq "register alpha" 0 "$rc"
"$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" alpha sshd 127.83.4.131
mkdir -p "$t/ssh_config.d"
printf 'Host microvm-alpha\n  HostName 127.83.4.131\n' >"$t/ssh_config.d/alpha.conf"
run_capture mvh -- true
assert_eq "alpha starts and is entered" 0 "$rc"
run_capture mvh register gamma
assert_eq "register gamma" 0 "$rc"
echo "not a link" >"$t/workspaces/gamma"

# 1. list: the table
run_capture mvh list
assert_eq "list exit" 0 "$rc"
assert_eq "list has no diagnostics" "" "$err"
w=${#alpha}
expected=$(
  printf "%-5s  %-12s  %-8s  %-17s  %-3s  %-9s  %-14s  %s\n" \
    NAME IP TAP MAC CID INSTALLED STATE WORKSPACE \
    seed 127.83.4.130 microvm1 02:00:00:00:00:02 - yes inactive/dead - \
    alpha 127.83.4.131 microvm2 02:00:00:00:00:03 - yes active/running "$alpha" \
    gamma 127.83.4.132 microvm3 02:00:00:00:00:04 - no inactive/dead "(not a link)"
)
assert_eq "list table: installed, state, workspace per VM" "$expected" "$out"

# 2. list --json
run_capture mvh list --json
assert_eq "list --json exit" 0 "$rc"
assert_eq "list --json: alpha's state" \
  "alpha True active running $alpha|gamma False inactive dead (not a link)|seed True inactive dead None" \
  "$(printf '%s' "$out" | python3 -c '
import json, sys
rows = sorted(json.load(sys.stdin), key=lambda r: r["name"])
print("|".join("%s %s %s %s %s" % (r["name"], r["installed"], r["activeState"], r["subState"], r["workspace"]) for r in rows))')"

# 3. the bus is unreachable: one warning, '?' for every state, the rest still shown
nobus=unix:path=$t/no-such-bus
DBUS_SYSTEM_BUS_ADDRESS=$nobus run_capture mvh list
assert_eq "list without a bus still succeeds" 0 "$rc"
assert_eq "list without a bus warns once" \
  "microvm-here: warning: the VMs' state is unknown (shown as '?'): cannot connect to the system bus at $nobus: No such file or directory; check that dbus runs (or set DBUS_SYSTEM_BUS_ADDRESS)" \
  "$err"
assert_eq "list without a bus shows '?'" "? ? ?" "$(printf '%s\n' "$out" | awk 'NR > 1 { printf "%s%s", sep, $7; sep = " " }')"
assert_contains "list without a bus keeps the workspace" "$alpha" "$out"
DBUS_SYSTEM_BUS_ADDRESS=$nobus run_capture mvh list --json
assert_eq "list --json without a bus: nulls" "None None None" \
  "$(printf '%s' "$out" | python3 -c 'import json, sys; print(*[r["activeState"] for r in json.load(sys.stdin)])')"

# 4. list --names (the completions' call) never touches the bus nor loads libsystemd
DBUS_SYSTEM_BUS_ADDRESS=$nobus run_capture mvh list --names
assert_eq "list --names" $'seed\nalpha\ngamma' "$out"
assert_eq "list --names says nothing about the bus" "" "$err"
DBUS_SYSTEM_BUS_ADDRESS=$nobus run_capture mvh list --json --names
assert_eq "list --json --names: a JSON array of the names" $'[\n  "seed",\n  "alpha",\n  "gamma"\n]' "$out"
assert_eq "list --json --names says nothing about the bus" "" "$err"
ld_debug_mvh() { nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" env LD_DEBUG=files "$MVH_BIN" "$@"; }
run_capture ld_debug_mvh list --names
assert_not_contains "list --names does not load libsystemd" "file=libsystemd.so.0" "$err"
run_capture ld_debug_mvh list
assert_contains "list does load libsystemd (the check above can fail)" "file=libsystemd.so.0" "$err"

# 5. logs: the stand-in's lines, exactly as journalctl shows them (without the host name)
pid=$(on_host systemctl show -P MainPID microvm@alpha.service)
run_capture mvh logs alpha
assert_eq "logs exit" 0 "$rc"
assert_contains "logs shows the stand-in's first line" \
  "microvm-run[$pid]: booting stand-in VM (sshd) on 127.83.4.131" "$out"
assert_contains "logs shows sshd's line" \
  "microvm-run[$pid]: Server listening on 127.83.4.131 port 22." "$out"
assert_eq "logs equals journalctl -u" \
  "$(on_host journalctl -q -o short -n 50 -u microvm@alpha.service | sed -E 's/^(\S+ \S+ \S+) \S+ /\1 /')" \
  "$out"
run_capture mvh logs alpha -n 1
assert_eq "logs -n 1 prints one line" 1 "$(printf '%s\n' "$out" | wc -l)"
assert_eq "logs -n 1 prints the newest line" \
  "$(on_host journalctl -q -o short -n 1 -u microvm@alpha.service | sed -E 's/^(\S+ \S+ \S+) \S+ /\1 /')" \
  "$out"
cd "$alpha"
run_capture mvh logs -n 1
assert_eq "logs without NAME uses the repository's VM" \
  "$(on_host journalctl -q -o short -n 1 -u microvm@alpha.service | sed -E 's/^(\S+ \S+ \S+) \S+ /\1 /')" \
  "$out"

# 6. logs -f follows a restart
mvh logs alpha -f >"$t/follow.out" 2>"$t/follow.err" &
follower_job=$!
wait_until 10 grep -q "booting stand-in VM" "$t/follow.out" || not_ok "logs -f prints the backlog"
on_host systemctl restart microvm@alpha.service
wait_until 10 on_host systemctl is-active -q microvm@alpha.service
pid2=$(on_host systemctl show -P MainPID microvm@alpha.service)
if wait_until 10 grep -qF "microvm-run[$pid2]: booting stand-in VM (sshd) on 127.83.4.131" "$t/follow.out"; then
  ok "logs -f shows the new boot line"
else
  not_ok "logs -f shows the new boot line"
  sed 's/^/    | /' "$t/follow.out"
fi
[ "$pid2" != "$pid" ] && ok "the restart made a new process" || not_ok "the restart made a new process"
# Ctrl-C reaches the follower itself (below the background subshell and nsenter); it ends
# with status 0.
kill -INT "$(pgrep -n -f "^$MVH_BIN logs alpha -f\$")"
set +e
wait "$follower_job"
rc=$?
set -e
assert_eq "logs -f ends on Ctrl-C with 0" 0 "$rc"
assert_eq "logs -f wrote no diagnostics" "" "$(cat "$t/follow.err")"

# 7. unknown and invalid names
run_capture mvh logs nosuch
assert_eq "logs of an unknown VM exit" 1 "$rc"
assert_eq "logs of an unknown VM message" \
  "microvm-here: error: no profile 'nosuch' in $profiles; create it with: microvm-here register nosuch" \
  "$err"
assert_eq "logs of an unknown VM prints nothing" "" "$out"
run_capture mvh logs bad.name
assert_eq "logs of an invalid name exit" 2 "$rc"
assert_contains "logs of an invalid name message" "microvm-here: error: invalid VM name 'bad.name'" "$err"
run_capture mvh status nosuchvm
assert_eq "status of an unknown VM exit" 2 "$rc"
assert_eq "status of an unknown VM message" \
  "microvm-here: error: no VM named 'nosuchvm': no profile in $profiles, not installed, not running; \`microvm-here register nosuchvm\` creates one (\`microvm-here list\` shows the VMs)" \
  "$err"
assert_eq "status of an unknown VM prints nothing" "" "$out"
run_capture mvh status seed
assert_eq "status of a stopped VM exit" 0 "$rc"
run_capture mvh stop seed
assert_eq "stop of a stopped VM exit" 0 "$rc"
assert_eq "stop of a stopped VM says so" \
  "microvm-here: seed was not running (microvm@seed.service is inactive/dead); nothing to stop" "$err"

# 8. a user who may not read the journal (files are root:root 0640 there)
as_nobody() {
  nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" setpriv --reuid=nobody --regid=nogroup --clear-groups "$MVH_BIN" "$@"
}
run_capture as_nobody logs alpha
assert_eq "unreadable journal exit" 1 "$rc"
assert_eq "unreadable journal message" \
  "microvm-here: error: cannot show the log of microvm@alpha.service: cannot read the journal as nobody: add yourself to the systemd-journal group (or run journalctl -u microvm@alpha.service with sudo)" \
  "$err"
run_capture as_nobody logs alpha -f
assert_eq "unreadable journal with -f exit" 1 "$rc"
assert_eq "unreadable journal with -f message" \
  "microvm-here: error: cannot read the journal as nobody: add yourself to the systemd-journal group (or run journalctl -u microvm@alpha.service with sudo)" \
  "$err"
run_capture as_nobody list
assert_eq "list as nobody exit" 0 "$rc"
assert_contains "list as nobody reads the state (no privilege needed)" "active/running" "$out"

on_host systemctl stop microvm@alpha.service
finish
