#!/usr/bin/env bash
# How long does entering a real microVM take, and how much of it is ours? Boots the real test
# guest (tests/guest: qemu -M microvm, Debian cloud kernel, busybox + dropbear) RUNS times under
# the private systemd of the test harness, each time with `microvm-here -- true` from a stopped
# unit, and splits the time at:
#   launch   ExecMainStartTimestamp of microvm@NAME (systemd started the runner)
#   accept   first TCP connect to IP:22 that completed (qemu's hostfwd listens)
#   EOF      first connection the forwarder closed (guest NIC up, port 22 not yet open)
#   dropbear the console line "Not backgrounding" (dropbear started), from the journal
#   banner   first "SSH-" line seen by a parallel 1-ms probe (tests/harness/banner-probe.py)
#   exec     our exec of ssh: a wrapper in the `ssh` argv stamps CLOCK_REALTIME, then execs ssh
#   done     `ssh ... true` returned (microvm-here exited)
# Prints one row per run and the medians. Not a test: speed is never asserted.
# usage: sudo bench/guest.sh [path/to/microvm-here] [RUNS]   (defaults: build-release, 3 runs)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/build-release/microvm-here}")
runs=${2:-3}
[ -x "$bin" ] || { echo "bench: no binary at $bin; build it (Release) or pass its path" >&2; exit 2; }
export MVH_BIN=$bin MVH_SOURCE_DIR=$here MVH_BUILD_DIR=${MVH_BUILD_DIR:-$(dirname "$bin")}
source "$here/tests/harness/lib.sh"
source "$here/tests/harness/guest.sh"
source "$here/tests/lib/assert.sh" # nix_eval, run_capture
mvh_require_private_systemd
command -v qemu-system-x86_64 >/dev/null ||
  { echo "bench: qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)" >&2; exit 2; }
mvh_guest_build || { echo "bench: $MVH_GUEST_WHY" >&2; exit 2; }
mvh_new_test_dir bench_guest
mvh_guest_use
mvh_boot
source "$here/tests/harness/sandbox.sh"
mvh_sandbox 192 127.83.8
mvh_guest_sandbox
mvh_ssh_stamped
t=$MVH_TEST_DIR
unit=microvm@bench.service
repo=$(new_repo bench)
echo qemu >"$t/behaviour/bench"
cd "$repo"
mvh register >/dev/null 2>&1
ip=$(nix_eval "$t/nixfiles/vms/profiles.nix" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bench"]["ipAddress"])')

field() { sed -n "s/^$1=//p" "$2"; }
rows=$t/rows
: >"$rows"
for i in $(seq "$runs"); do
  on_host systemctl stop "$unit" 2>/dev/null || true
  : >"$t/ssh-exec.log"
  rm -f "$t/probe.out"
  python3 "$MVH_HARNESS/banner-probe.py" "$ip" "$t/probe.out" 150 &
  probe=$!
  run_capture mvh -- true
  done_at=$EPOCHREALTIME
  wait "$probe" || true
  if [ "$rc" != 0 ]; then
    echo "bench: run $i: microvm-here exited $rc:" >&2
    printf '%s\n' "$err" >&2
    on_host journalctl -u "$unit" -o short-precise --no-pager | tail -n 30 >&2
    cat "$t/probe.out" "$t/ssh-exec.log" >&2
    exit 1
  fi
  launch=$(mvh_guest_launch_time "$unit")
  inv=$(on_host systemctl show -P InvocationID "$unit")
  dropbear=$(on_host journalctl "_SYSTEMD_INVOCATION_ID=$inv" -o short-unix --no-pager |
    awk '/Not backgrounding/ { print $1; exit }')
  printf '%s %s %s %s %s %s %s\n' "$launch" "$(field first_accept "$t/probe.out")" \
    "$(field first_eof "$t/probe.out")" "${dropbear:-nan}" "$(field banner "$t/probe.out")" \
    "$(cut -d' ' -f1 "$t/ssh-exec.log" | head -n1)" "$done_at" >>"$rows"
  echo "run $i done" >&2
done
on_host systemctl stop "$unit"

if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi
echo
echo "real guest: kernel $MVH_GUEST_RELEASE, qemu -M microvm, accel=$accel, $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$rows" <<'PY'
import statistics, sys
cols = ["launch->accept", "launch->EOF", "launch->dropbear", "launch->banner", "banner->exec",
        "launch->exec", "exec->done"]
rows = []
for line in open(sys.argv[1]):
    launch, accept, eof, dropbear, banner, exe, done = (float(x) for x in line.split())
    rows.append([accept - launch, eof - launch, dropbear - launch, banner - launch,
                 exe - banner, exe - launch, done - exe])
def cell(c, v):
    if v != v:  # nan: the console line was not found
        return "-"
    return "%.0f ms" % (v * 1000) if c in ("banner->exec", "exec->done") else "%.2f s" % v
print("| run | " + " | ".join(cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for i, r in enumerate(rows, 1):
    print("| %d | " % i + " | ".join(cell(c, v) for c, v in zip(cols, r)) + " |")
med = [statistics.median([r[k] for r in rows]) for k in range(len(cols))]
print("| median | " + " | ".join(cell(c, v) for c, v in zip(cols, med)) + " |")
PY
