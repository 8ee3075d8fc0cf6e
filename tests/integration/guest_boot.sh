#!/bin/bash
# labels: root guest
# timeout: 600
# Boots the real test guest (Debian cloud kernel + busybox/dropbear initramfs) under qemu -M microvm
# and logs in with the real OpenSSH client against a pinned host key; then boots the broken-init
# variant and checks that the kernel panics and qemu exits. Two boots in total (~5 s each on TCG).
set -euo pipefail

src=${MVH_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
guest=$src/tests/guest
ip=127.83.0.40
panic_ip=127.83.0.41

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*" >&2
  exit 77
}
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
command -v ssh >/dev/null || skip "ssh is missing (apt-get install openssh-client)"

rc=0
dir=$(bash "$guest/build.sh") || rc=$?
((rc == 77)) && skip "build.sh could not build the test guest (see its message above)"
((rc == 0)) || fail "tests/guest/build.sh failed with exit code $rc"
manifest() { sed -n "s/^$1=//p" "$dir/manifest"; }
release=$(manifest kernel_release)
package=$(manifest kernel_package)
[[ -n $release && $package == "linux-image-$release" ]] ||
  fail "manifest is inconsistent: kernel_package='$package' kernel_release='$release'"

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# True when a line starting with SSH- arrives. Short reads and reconnects: with hostfwd, connect()
# succeeds before the guest is up and a connection left pending may get its banner seconds late.
banner_once() {
  local line=''
  exec 3<>"/dev/tcp/$1/22" || return 1
  IFS= read -r -t 0.5 line <&3 || true
  exec 3<&- 3>&-
  [[ $line == SSH-* ]]
}
wait_banner() { # wait_banner IP PID SECONDS
  local deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    kill -0 "$2" 2>/dev/null || return 2
    banner_once "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
wait_exit() { # wait_exit PID SECONDS -> 0 once the process has ended
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# --- run-qemu.sh refuses non-loopback addresses (no qemu started) -------------------------------
rc=0
out=$(bash "$guest/run-qemu.sh" 192.0.2.1 2>&1) || rc=$?
((rc == 2)) || fail "run-qemu.sh 192.0.2.1: expected exit 2, got $rc"
expected="run-qemu: refusing address '192.0.2.1': only loopback 127.0.0.0/8 is allowed; use 127.83.0.N"
[[ $out == "$expected" ]] || fail "run-qemu.sh 192.0.2.1 printed '$out', expected '$expected'"

# --- boot and log in ---------------------------------------------------------------------------
banner_once "$ip" 2>/dev/null && fail "something already serves SSH on $ip:22; stop it first"
console=$tmp/console.log
t0=$(now)
bash "$guest/run-qemu.sh" "$ip" boot-test </dev/null >"$console" 2>&1 &
qemu=$!
pids+=("$qemu")
rc=0
wait_banner "$ip" "$qemu" 60 || rc=$?
if ((rc != 0)); then
  sed 's/^/  console: /' "$console" >&2
  ((rc == 2)) && fail "qemu exited before the guest served SSH on $ip:22"
  fail "no SSH banner on $ip:22 within 60 s"
fi
t_banner=$(since "$t0")

first=$(head -n1 "$console")
[[ $first =~ ^run-qemu:\ accel=(tcg|kvm)\ ip=127\.83\.0\.40$ ]] ||
  fail "run-qemu.sh first line is '$first'"

known=$tmp/known_hosts
printf '%s %s\n' "$ip" "$(cat "$dir/host_key.pub")" >"$known"
ssh_guest() { # ssh_guest KNOWN_HOSTS COMMAND...
  local kh=$1
  shift
  ssh -F /dev/null -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$kh" -o BatchMode=yes \
    -o ConnectTimeout=10 -i "$dir/client_key" "root@$ip" "$@"
}
rc=0
out=$(ssh_guest "$known" 'uname -r; hostname' 2>"$tmp/ssh.err") || rc=$?
t_ssh=$(since "$t0")
((rc == 0)) || fail "ssh root@$ip exited $rc: $(cat "$tmp/ssh.err")"
expected=$(printf '%s\n%s' "$release" boot-test)
[[ $out == "$expected" ]] || fail "guest said '$out', expected '$expected'"
echo "guest kernel: $release (from $package $(manifest kernel_package_version)); host kernel: $(uname -r)"

# The pin is real: the same guest with another key pinned is refused.
ssh-keygen -q -t ed25519 -N '' -f "$tmp/other"
printf '%s %s\n' "$ip" "$(cut -d' ' -f1,2 "$tmp/other.pub")" >"$tmp/known_other"
rc=0
ssh_guest "$tmp/known_other" true 2>"$tmp/ssh.err" || rc=$?
if ((rc != 255)) || ! grep -q 'Host key verification failed' "$tmp/ssh.err"; then
  fail "ssh with a wrong pinned key: exit $rc, $(cat "$tmp/ssh.err")"
fi

grep -q "Pubkey auth succeeded for 'root'" "$console" ||
  fail "dropbear's log is not on the serial console (stdout of run-qemu.sh)"
grep -q "mvh-guest: boot-test up, eth0 10.0.2.15/24 gw 10.0.2.2, kernel $release" "$console" ||
  fail "the guest's rcS did not report its network setup on the console"

kill -TERM "$qemu"
wait_exit "$qemu" 10 || fail "qemu (pid $qemu) did not exit within 10 s of SIGTERM"
echo "timing: launch -> SSH banner ${t_banner} s; launch -> ssh uname done ${t_ssh} s"

# --- broken init: kernel panic, qemu exits on its own ------------------------------------------
console=$tmp/panic.log
t0=$(now)
bash "$guest/run-qemu.sh" "$panic_ip" panic-test --panic </dev/null >"$console" 2>&1 &
qemu=$!
pids+=("$qemu")
if ! wait_exit "$qemu" 60; then
  sed 's/^/  console: /' "$console" >&2
  fail "qemu with the broken init was still running after 60 s (expected panic=-1 + -no-reboot)"
fi
t_panic=$(since "$t0")
grep -q 'Kernel panic - not syncing: Attempted to kill init!' "$console" || {
  sed 's/^/  console: /' "$console" >&2
  fail "no 'Kernel panic' on the console of the broken-init guest"
}
echo "timing: broken init: launch -> qemu exit after kernel panic ${t_panic} s"
echo "PASS"
