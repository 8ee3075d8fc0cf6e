#!/usr/bin/env bash
# The default command against a REAL microVM: the private systemd's microvm@.service runs
# qemu -M microvm (tests/guest: Debian cloud kernel, busybox + dropbear) installed by the
# "rebuild", and microvm-here enters it with the real ssh client and a pinned host key.
# Checks: `microvm-here -- uname -r` from a fresh repo prints the guest's kernel release; the
# banner comes before our exec of ssh (timings printed); `systemctl stop` ends qemu by SIGTERM
# with nothing left; a guest whose init dies (kernel panic, qemu exits) is a crash loop: exit 5
# with the console lines; two repositories started at once both get in.
# Guest boots: 1 + 3 short (panic loop) + 2 in parallel.
# labels: root sshd nix guest
# timeout: 600
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
source "$MVH_SOURCE_DIR/tests/harness/guest.sh"
mvh_require_private_systemd
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
command -v qemu-system-x86_64 >/dev/null ||
  skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
rc=0
mvh_guest_build || rc=$?
[ "$rc" = 77 ] && skip "$MVH_GUEST_WHY"
[ "$rc" = 0 ] || { echo "FAIL: $MVH_GUEST_WHY"; exit 1; }
release=$MVH_GUEST_RELEASE
host_release=$(uname -r)
mvh_new_test_dir guest_e2e
mvh_guest_use
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.8
mvh_guest_sandbox
mvh_ssh_stamped
t=$MVH_TEST_DIR
net=127.83.8

qemu_pids() { pgrep -f "hostfwd=tcp:$1:22-:22" || true; }
field() { sed -n "s/^$1=//p" "$2"; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi

# 1. create and enter a real guest from a fresh repository
repo=$(new_repo guesty)
echo qemu >"$t/behaviour/guesty"
ip=$net.131
[ -z "$(qemu_pids "$ip")" ] || { echo "FAIL: a qemu already forwards $ip:22; stop it first"; exit 1; }
python3 "$MVH_HARNESS/banner-probe.py" "$ip" "$t/probe.out" 150 &
probe=$!
cd "$repo"
run_capture mvh -- uname -r
wait "$probe" || true
printf '%s\n' "$err" | sed 's/^/  microvm-here: /'
assert_eq "create-and-enter a real guest exits 0" 0 "$rc"
assert_eq "uname -r inside is the guest kernel built by build.sh" "$release" "$out"
[ "$out" != "$host_release" ] && ok "the guest kernel ($out) is not the host's ($host_release)" ||
  not_ok "the guest kernel ($out) is not the host's ($host_release)"
assert_eq "the profile got the first free address" "$ip" \
  "$(nix_eval "$t/nixfiles/vms/profiles.nix" | python3 -c 'import json,sys; print(json.load(sys.stdin)["guesty"]["ipAddress"])')"
assert_contains "starts the unit" "microvm-here: starting microvm@guesty.service" "$err"
assert_not_contains "ssh did not start before the banner" "Connection timed out during banner exchange" "$err"
assert_not_contains "ssh found a server, not a closing forwarder" "kex_exchange_identification" "$err"
assert_eq "ssh was exec'd once, through the stamping wrapper" 1 "$(grep -c ' microvm-guesty uname -r$' "$t/ssh-exec.log")"
journal=$(on_host journalctl -u microvm@guesty.service --no-pager -o cat)
assert_contains "the runner is the harness's qemu behaviour" "booting stand-in VM (qemu) on $ip" "$journal"
assert_contains "qemu's accelerator follows RECIPES §4" "run-qemu: accel=$accel ip=$ip" "$journal"
assert_contains "the guest console is in the journal" "mvh-guest: guesty up, eth0 10.0.2.15/24 gw 10.0.2.2, kernel $release" "$journal"
assert_contains "dropbear logged our login" "Pubkey auth succeeded for 'root'" "$journal"

launch=$(mvh_guest_launch_time microvm@guesty.service)
accept=$(field first_accept "$t/probe.out")
eof=$(field first_eof "$t/probe.out")
banner=$(field banner "$t/probe.out")
exec_at=$(cut -d' ' -f1 "$t/ssh-exec.log" | head -n1)
if [ -n "$banner" ]; then
  echo "timing: launch -> forwarder accepts $(secs "$launch" "${accept:-$launch}") s," \
    "-> first EOF $(secs "$launch" "${eof:-$launch}") s, -> SSH banner $(secs "$launch" "$banner") s;" \
    "banner -> our exec of ssh $(ms "$banner" "$exec_at") ms (probe: $(field attempts "$t/probe.out") connects)"
else
  echo "timing: the 1-ms probe saw no banner ($(cat "$t/probe.out" | tr '\n' ' '))"
fi

# 2. systemctl stop: qemu gets SIGTERM, exits, nothing is left behind
qpid=$(qemu_pids "$ip")
assert_eq "one qemu serves $ip" 1 "$(printf '%s\n' "$qpid" | grep -c .)"
assert_eq "qemu is the unit's process (exec all the way down)" "qemu-system-x86" "$(cat "/proc/$qpid/comm" 2>/dev/null)"
on_host systemctl stop microvm@guesty.service
wait_until 10 test -z "$(qemu_pids "$ip")" && ok "qemu exited on stop" || not_ok "qemu exited on stop (pid $qpid)"
assert_contains "qemu got SIGTERM" "qemu-system-x86_64: terminating on signal 15" \
  "$(on_host journalctl -u microvm@guesty.service --no-pager -o cat)"
assert_eq "the unit stopped cleanly" "inactive success" \
  "$(on_host systemctl show -P ActiveState microvm@guesty.service) $(on_host systemctl show -P Result microvm@guesty.service)"

# 3. a guest whose init dies: the kernel panics, qemu exits 0, Restart=always loops
repo=$(new_repo panicky)
echo qemu-panic >"$t/behaviour/panicky"
cd "$repo"
run_capture mvh -- true
assert_eq "kernel panic loop exits 5" 5 "$rc"
assert_contains "kernel panic loop heading" "microvm-here: error: Failed to start microvm@panicky.service: it keeps crashing (restarted 2 times, last result 'success'); stopped waiting" "$err"
assert_contains "the crashed run's console follows" "Last output of microvm@panicky.service before it restarted:" "$err"
assert_contains "the kernel's panic line is among them" "Kernel panic - not syncing: Attempted to kill init!" "$err"
assert_contains "says where to look" 'See "systemctl status microvm@panicky.service" and "journalctl -u microvm@panicky.service" for details.' "$err"
on_host systemctl stop microvm@panicky.service
wait_until 10 test -z "$(qemu_pids "$net.132")" && ok "no qemu left from the panic loop" ||
  not_ok "no qemu left from the panic loop"

# 4. two repositories at once: two guests, two microvm-here runs, both get in
for n in twin-a twin-b; do
  new_repo "$n" >/dev/null
  echo qemu >"$t/behaviour/$n"
done
for n in twin-a twin-b; do
  (
    cd "$t/repos/$n"
    set +e
    mvh -- sh -c 'uname -r; hostname' >"$t/$n.out" 2>"$t/$n.err"
    echo $? >"$t/$n.rc"
  ) &
done
wait
for n in twin-a twin-b; do
  assert_eq "$n: entered in parallel" 0 "$(cat "$t/$n.rc")"
  assert_eq "$n: its own guest answered" "$release"$'\n'"$n" "$(cat "$t/$n.out")"
  [ "$(cat "$t/$n.rc")" = 0 ] || sed 's/^/    | /' "$t/$n.err"
  on_host systemctl stop "microvm@$n.service"
done
wait_until 10 test -z "$(qemu_pids "$net.*")" && ok "no qemu left at the end" || not_ok "no qemu left at the end"
finish
