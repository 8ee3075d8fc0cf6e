#!/bin/bash
# src/sys/units_dbus.cpp and src/sys/journal.cpp against a real systemd 252 (PID 1 of private
# namespaces, tests/harness) running stand-in microvm@ units of every behaviour.
# labels: root
# timeout: 240
set -uo pipefail
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_new_test_dir units_dbus

U=$MVH_TOOLS_DIR/units_tool
failures=0 checks=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# expect DESCRIPTION ACTUAL EXPECTED
expect() {
  checks=$((checks + 1))
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}
# expect_match DESCRIPTION TEXT EXTENDED_REGEX
expect_match() {
  checks=$((checks + 1))
  grep -qE -- "$3" <<<"$2" || fail "$1: no line matches /$3/ in:"$'\n'"$2"
}
# prop UNIT KEY: one property as units_tool state prints it
prop() { on_host "$U" state "$1" | sed -n "s/^$2=//p"; }
prop_is() { [ "$(prop "$1" "$2")" = "$3" ]; }
restarts_at_least() { [ "$(prop "$1" NRestarts)" -ge "$2" ]; }
# The first line a TCP server at $1:22 sends within 1 s (empty if none).
first_line() { timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/22" && IFS= read -r l <&3 && echo "$l"' "$1" 2>/dev/null; }
banner_ready() { [[ "$(first_line "$1")" == SSH-2.0-* ]]; }
install_vm() { "$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" "$@"; }

# --- libsystemd is dlopen()ed, never linked; a missing library is a clear error
expect "microvm-here links libsystemd" "$(ldd "$MVH_BIN" | grep -c libsystemd)" "0"
lib=$(ldconfig -p | sed -n 's/^\tlibsystemd\.so\.0 (libc6,x86-64) => //p' | head -n 1)
expect "no libsystemd" "$(unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" state x.service' sh "$lib" "$U")" \
  "error: cannot load libsystemd.so.0: $lib: file too short; install systemd's shared library (Debian: libsystemd0)"

install_vm ok sshd 127.83.0.20 0.3
install_vm crash crash 127.83.0.21
install_vm fail fail 127.83.0.22
install_vm hang hang 127.83.0.23
install_vm nobanner nobanner 127.83.0.24
# Drop-ins must exist at boot: systemd caches the unit directories' listing.
mkdir -p "$MVH_UNIT_DIR/microvm@fail.service.d"
printf '[Service]\nRestart=no\n' >"$MVH_UNIT_DIR/microvm@fail.service.d/restart-no.conf"
# A job that stays queued long enough for another client to watch it.
printf '[Service]\nType=oneshot\nExecStart=/bin/sleep 1\n' >"$MVH_UNIT_DIR/slow.service"
mvh_boot

# --- a never-started template instance is loaded on access, never skipped yet
s=$(on_host "$U" state microvm@ok.service)
expect "fresh instance" "$(grep -E '^(LoadState|ActiveState|SubState|ConditionResult|InvocationID)=' <<<"$s" | tr '\n' ' ')" \
  "LoadState=loaded ActiveState=inactive SubState=dead ConditionResult=yes InvocationID= "
expect "unknown unit" "$(prop nosuch.service LoadState)" "not-found"

out=$(on_host "$U" start nosuch.service)
expect "start a missing unit: exit code" "$?" "5"
expect "start a missing unit" "$out" "error: Failed to start nosuch.service: Unit nosuch.service not found."
expect "state of a bad name" "$(on_host "$U" state x)" \
  "error: cannot read the state of x over D-Bus: Unit name x is neither a valid invocation ID nor unit name; check that systemd and dbus run on this host"

# --- sshd stand-in: start, state, banner, journal
expect "start ok" "$(on_host "$U" start microvm@ok.service 10000 2>/dev/null)" "job=done"
expect "ok active" "$(prop microvm@ok.service ActiveState)/$(prop microvm@ok.service SubState)" "active/running"
id=$(prop microvm@ok.service InvocationID)
expect_match "ok InvocationID" "$id" '^[0-9a-f]{32}$'
expect_match "ok MainPID" "$(prop microvm@ok.service MainPID)" '^[1-9][0-9]*$'
wait_until 5 banner_ready 127.83.0.20 || fail "no SSH-2.0- banner on 127.83.0.20:22 within 5 s"
checks=$((checks + 1))
echo "127.83.0.20 $(cut -d' ' -f1-2 "$MVH_TEST_DIR/ssh/host_ed25519_key.pub")" >"$MVH_TEST_DIR/known_hosts"
expect "ssh into the stand-in" "$(ssh -F none -i "$MVH_TEST_DIR/ssh/id_ed25519" -o BatchMode=yes \
  -o UserKnownHostsFile="$MVH_TEST_DIR/known_hosts" -o StrictHostKeyChecking=yes \
  root@127.83.0.20 'echo "$(id -un)@$(hostname)"' 2>&1)" "root@$(on_host hostname)"
expect "invocation link" "$(on_host readlink /run/systemd/units/invocation:microvm@ok.service)" "$id"
expect "booted link" "$(readlink "$MVH_STATE_DIR/ok/booted")" "$(readlink "$MVH_STATE_DIR/ok/current")"
log=$(on_host "$U" journal microvm@ok.service 50)
expect_match "ok journal" "$log" \
  '^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} microvm-run\[[0-9]+\]: booting stand-in VM \(sshd\) on 127\.83\.0\.20$'
expect_match "ok journal sshd" "$log" 'microvm-run\[[0-9]+\]: Server listening on 127\.83\.0\.20 port 22\.$'
expect_match "ok journal PID 1" "$log" "systemd\[1\]: Started microvm@ok\.service - MicroVM 'ok' \(test stand-in\)\.$"
expect "journal tail 1" "$(on_host "$U" journal microvm@ok.service 1 | wc -l)" "1"
# sshd may still be logging the probes' disconnects: retry until two reads agree.
tail_is_newest() { [ "$(on_host "$U" journal microvm@ok.service 1)" = "$(on_host "$U" journal microvm@ok.service 50 | tail -n 1)" ]; }
wait_until 3 tail_is_newest || fail "journal tail 1 is not the newest line"
checks=$((checks + 1))

# --- restart: a new invocation; a reinstall while running leaves the VM stale
install_vm ok sshd 127.83.0.20 0.3
[ "$(readlink "$MVH_STATE_DIR/ok/booted")" != "$(readlink "$MVH_STATE_DIR/ok/current")" ] ||
  fail "reinstall: booted should differ from current while the old runner runs"
on_host "$U" follow microvm@ok.service 0 2500 >"$MVH_TEST_DIR/follow.out" &
follower=$!
sleep 0.5
expect "restart ok" "$(on_host "$U" restart microvm@ok.service 2>/dev/null)" "job=done"
id2=$(prop microvm@ok.service InvocationID)
[ "$id2" != "$id" ] && [ -n "$id2" ] || fail "restart: InvocationID should change (was $id, now $id2)"
wait "$follower"
follow=$(cat "$MVH_TEST_DIR/follow.out")
expect_match "follow sees the restart" "$follow" 'microvm-run\[[0-9]+\]: booting stand-in VM \(sshd\)'
expect_match "follow sees PID 1" "$follow" 'systemd\[1\]: Stopped microvm@ok\.service'
expect "follow -n 0 shows no backlog" "$(grep -c 'Started microvm@ok' <<<"$follow")" "1"

# --- crash: Restart=always crash-loops in activating/auto-restart, NRestarts rising
expect "start crash" "$(on_host "$U" start microvm@crash.service 2>/dev/null)" "job=done"
wait_until 10 restarts_at_least microvm@crash.service 2 || fail "crash: NRestarts stayed $(prop microvm@crash.service NRestarts)"
# One snapshot: between two reads the unit may have moved on to its next (0.2 s) run.
crash_looping() {
  [ "$(on_host "$U" state microvm@crash.service | grep -E '^(ActiveState|SubState|Result)=' | tr '\n' ' ')" = \
    "ActiveState=activating SubState=auto-restart Result=exit-code " ]
}
wait_until 5 crash_looping || fail "crash: never seen activating/auto-restart with Result=exit-code"
checks=$((checks + 2))

# --- fail with Restart=no: failed
expect "start fail" "$(on_host "$U" start microvm@fail.service 2>/dev/null)" "job=done"
wait_until 5 prop_is microvm@fail.service ActiveState failed || fail "fail: never reached ActiveState=failed"
checks=$((checks + 1))
expect "fail result" "$(prop microvm@fail.service Result)" "exit-code"
expect_match "fail journal" "$(on_host "$U" journal microvm@fail.service 10)" \
  "microvm-run\[[0-9]+\]: stand-in VM: cannot start the hypervisor: 'fail' behaviour requested$"

# --- not installed: the start "succeeds", nothing runs
# The skipped unit is garbage-collected at once: only a client holding a reference (start-state
# keeps its connection) still sees ConditionResult=no; a later reader sees a fresh unit.
s=$(on_host "$U" start-state microvm@absent.service 2>/dev/null)
expect "start absent" "$(grep -E '^(job|ActiveState|ConditionResult)=' <<<"$s" | tr '\n' ' ')" \
  "job=done ActiveState=inactive ConditionResult=no "
expect "absent collected" "$(prop microvm@absent.service ConditionResult)" "yes"

# --- hang and nobanner: active, but never an SSH banner
# Following a unit that has logged nothing yet must still show its first lines.
on_host "$U" follow microvm@hang.service 5 2000 >"$MVH_TEST_DIR/follow-hang.out" &
follower=$!
sleep 0.5
expect "start hang" "$(on_host "$U" start microvm@hang.service 2>/dev/null)" "job=done"
wait "$follower"
follow=$(cat "$MVH_TEST_DIR/follow-hang.out")
expect_match "follow from nothing: PID 1" "$follow" "systemd\[1\]: Started microvm@hang\.service - MicroVM 'hang' \(test stand-in\)\.$"
expect_match "follow from nothing: first line" "$follow" 'microvm-run\[[0-9]+\]: booting stand-in VM \(hang\) on 127\.83\.0\.23$'

expect "start nobanner" "$(on_host "$U" start microvm@nobanner.service 2>/dev/null)" "job=done"
expect "hang active" "$(prop microvm@hang.service SubState)" "running"
sleep 0.5
expect "hang refuses" "$(timeout 1 bash -c 'exec 3<>/dev/tcp/127.83.0.23/22' 2>&1 | grep -o -m1 'Connection refused')" \
  "Connection refused"
expect "nobanner accepts" "$(timeout 2 bash -c 'exec 3<>/dev/tcp/127.83.0.24/22 && echo connected')" "connected"
expect "nobanner is silent" "$(first_line 127.83.0.24)" ""

# --- someone else's job (our sudo helper's): watch_job
job=$(on_host busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
  org.freedesktop.systemd1.Manager StartUnit ss slow.service replace | sed -n 's/^o "\(.*\)"$/\1/p')
expect_match "busctl job" "$job" '^/org/freedesktop/systemd1/job/[0-9]+$'
expect "watch a running job" "$(on_host "$U" watch "$job" 5000)" "job=done"
expect "watch a finished job" "$(on_host "$U" watch "$job" 1000)" "job=unknown"

# --- unprivileged: state readable, start refused (AccessDenied), journal unreadable
as_nobody() { on_host setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
expect "nobody reads state" "$(as_nobody "$U" state microvm@ok.service | sed -n 's/^ActiveState=//p')" "active"
out=$(as_nobody "$U" start microvm@ok.service)
rc=$?
expect "nobody start exit code" "$rc" "10"
# Without polkit, systemd refuses with org.freedesktop.DBus.Error.AccessDenied "Permission denied".
expect "nobody start message" "$out" "access denied: Permission denied"
out=$(as_nobody "$U" journal microvm@ok.service 5)
rc=$?
expect "nobody journal exit code" "$rc" "4"
expect "nobody journal message" "$out" \
  "unreadable: cannot read the journal as nobody: add yourself to the systemd-journal group (or run journalctl -u microvm@ok.service with sudo)"

# --- stop
expect "stop ok" "$(on_host "$U" stop microvm@ok.service 2>/dev/null)" "job=done"
expect "ok stopped" "$(prop microvm@ok.service ActiveState)/$(prop microvm@ok.service SubState)" "inactive/dead"
expect "invocation link removed" "$(on_host test -e /run/systemd/units/invocation:microvm@ok.service && echo present)" ""

# --- no bus
out=$(DBUS_SYSTEM_BUS_ADDRESS="unix:path=$MVH_TEST_DIR/no-bus" "$U" state microvm@ok.service)
expect "no bus" "$out" \
  "error: cannot connect to the system bus at unix:path=$MVH_TEST_DIR/no-bus: No such file or directory; check that dbus runs (or set DBUS_SYSTEM_BUS_ADDRESS)"

echo "units_dbus: $((checks - failures)) of $checks checks ok"
[ "$failures" = 0 ]
