#!/usr/bin/env bash
# How fast does `microvm-here` get you in? Two measurements on a private systemd + system bus
# (namespaces, as tests/demo.sh; the machine's own services are untouched) with a stand-in VM
# running a real sshd on loopback, each beside the shell loop of the script microvm-here
# replaces. The configured ssh is a stamp program that records CLOCK_REALTIME and exits 0, so
# "exec" below is the instant our process became ssh.
#   a. banner -> exec: the VM's sshd starts DELAY s after the unit (0.5-1.5 s, the same spread
#      for both sides); a probe (python, retry every 1 ms) records when the first SSH banner
#      could be read; the gap to the exec of ssh is what the waiting costs. Baseline:
#        systemctl start microvm@NAME
#        until systemctl is-active --quiet microvm@NAME && nc -z IP 22; do sleep 1; done; ssh
#   b. already running (VM up, banner seen before): invocation -> ssh done, with hyperfine
#      (else a loop), beside `systemctl is-active --quiet microvm@NAME && nc -z IP 22 && ssh`
#      and the stamp alone (the floor: one exec of ssh).
# Prints medians, p90 and ratios. Not a test: speed is never asserted.
#
# usage: sudo bench/up_flow.sh [path/to/microvm-here]   (default: build-release/microvm-here)
#   build that binary with:
#     cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DMVH_TESTS=OFF
#     ninja -C build-release
# env: BENCH_RUNS (default 15, part a), BENCH_FAST_RUNS (default 200, part b),
#      BENCH_NET (loopback /24, default 127.83.4)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/build-release/microvm-here}")
[ -x "$bin" ] || { echo "bench: no binary at $bin; build it (Release, see the header) or pass its path" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it boots systemd in private namespaces)" >&2; exit 2; }
runs=${BENCH_RUNS:-15} fast_runs=${BENCH_FAST_RUNS:-200} net=${BENCH_NET:-127.83.4}
if ! command -v nc >/dev/null; then
  echo "bench: installing netcat-openbsd (the baseline's nc)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends netcat-openbsd >/dev/null
fi
for tool in gcc python3 nsenter; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done

export MVH_BIN=$bin MVH_SOURCE_DIR=$here MVH_BUILD_DIR=$(dirname "$bin")
source "$here/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_new_test_dir bench_up
mvh_boot
source "$here/tests/harness/sandbox.sh"
mvh_sandbox 128 "$net"
t=$MVH_TEST_DIR b=$t/bench
mkdir -p "$b"

# The stamp that stands in for ssh: one clock read, one small file.
cat >"$b/stamp.c" <<'C'
#include <stdio.h>
#include <time.h>
int main(int argc, char** argv)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  FILE* f = argc > 1 ? fopen(argv[1], "w") : NULL;
  if (!f) return 2;
  fprintf(f, "%lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  return fclose(f) == 0 ? 0 : 2;
}
C
gcc -O2 -static -o "$b/stamp" "$b/stamp.c"
sed -i "s|^ssh = .*|ssh = [\"$b/stamp\", \"$b/exec\"]|" "$MICROVM_HERE_CONFIG"

# The VM "bench": registered by microvm-here, installed like a rebuild does, then its runner
# replaced by standin-vm.sh's sshd behaviour with a timestamp right before sshd's exec and the
# delay read per run from $b/delay.
repo=$(new_repo bench)
cd "$repo"
mvh register >/dev/null
ip=$(mvh list --json | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["name"] == "bench"][0]["ipAddress"])')
"$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" bench sshd "$ip"
mkdir -p "$t/ssh_config.d"
printf 'Host microvm-bench\n  HostName %s\n' "$ip" >"$t/ssh_config.d/bench.conf"
cat >"$(realpath "$MVH_STATE_DIR/bench/current")/bin/microvm-run" <<EOS
#!/bin/bash
echo "booting stand-in VM (sshd, bench) on $ip"
sleep "\$(<$b/delay)"
mkdir -p /run/sshd
printf '%s\n' "\$EPOCHREALTIME" >$b/sshd-exec
exec /usr/sbin/sshd -D -e -f $t/ssh/sshd_config -h $t/ssh/host_ed25519_key -o ListenAddress=$ip -p 22 -o PidFile=none
EOS

cat >"$b/probe.py" <<'PY'
# probe.py IP OUT: polls IP:22 every 1 ms; writes CLOCK_REALTIME ns when a banner line is read.
import socket, sys, time
ip, out = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    s = socket.socket()
    try:
        s.connect((ip, 22))
    except OSError:
        s.close()
        time.sleep(0.001)
        continue
    s.settimeout(2)
    buf = b""
    try:
        while b"\n" not in buf:
            d = s.recv(256)
            if not d:
                break
            buf += d
    except OSError:
        pass
    now = time.time_ns()
    s.close()
    if buf.startswith(b"SSH-2.0-"):
        with open(out, "w") as f:
            f.write("%d\n" % now)
        sys.exit(0)
    time.sleep(0.001)
sys.exit(1)
PY

baseline_wait="systemctl start microvm@bench.service
until systemctl is-active --quiet microvm@bench.service && nc -z $ip 22; do sleep 1; done
$b/stamp $b/exec"

# one_run KIND DELAY: a cold start of the stopped VM; appends "kind banner_gap total sshd_to_banner" (ms)
one_run() {
  local kind=$1 delay=$2
  on_host systemctl stop microvm@bench.service
  echo "$delay" >"$b/delay"
  rm -f "$b/exec" "$b/banner" "$b/sshd-exec"
  python3 "$b/probe.py" "$ip" "$b/banner" &
  local probe=$! start
  sleep 0.05 # the probe polls before the unit starts
  start=$(date +%s%N)
  if [ "$kind" = ours ]; then
    mvh -q >>"$b/ours.log" 2>&1 || { echo "bench: microvm-here failed, see $b/ours.log" >&2; exit 1; }
  else
    on_host bash -c "$baseline_wait" >>"$b/baseline.log" 2>&1
  fi
  wait "$probe" || { echo "bench: the probe saw no banner" >&2; exit 1; }
  python3 - "$kind" "$start" "$(<"$b/sshd-exec")" "$(<"$b/banner")" "$(<"$b/exec")" >>"$b/cold.txt" <<'PY'
import sys
kind, start, sshd, banner, ex = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(kind, (ex - banner) / 1e6, (ex - start) / 1e6, (banner - sshd * 1e9) / 1e6)
PY
}

echo "bench: $runs cold starts each (delays 0.5-1.5 s), microvm-here and the shell loop interleaved" >&2
: >"$b/cold.txt"
for i in $(seq 0 $((runs - 1))); do
  delay=$(python3 -c "print('%.3f' % (0.5 + ($i * 0.6180339887) % 1.0))")
  one_run ours "$delay"
  one_run baseline "$delay"
  printf '.' >&2
done
echo >&2

# b. already running: start it with microvm-here so the ready stamp is written, then time.
echo 0 >"$b/delay"
on_host systemctl stop microvm@bench.service
mvh -q >>"$b/ours.log" 2>&1
# The next run must take the already-running path: no wait for SSH, no start job.
if mvh -v 2>&1 | grep -q "SSH answered"; then
  echo "bench: microvm-here did not take the already-running path; see $b/ours.log" >&2
  exit 1
fi
baseline_fast="bash -c 'systemctl is-active --quiet microvm@bench.service && nc -z $ip 22 && $b/stamp $b/exec'"
if command -v hyperfine >/dev/null; then
  echo "bench: already running, hyperfine $fast_runs runs each" >&2
  nsenter -t "$MVH_SD_PID" -m -p --wd="$repo" hyperfine -N --warmup 20 --runs "$fast_runs" \
    --export-json "$b/fast.json" \
    -n "stamp alone" "$b/stamp $b/exec" \
    -n "microvm-here" "$bin -q" \
    -n "baseline" "$baseline_fast" >"$b/hyperfine.txt" 2>&1 ||
    { cat "$b/hyperfine.txt" >&2; exit 1; }
  python3 - "$b/fast.json" >"$b/fast.txt" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"].replace(" ", "_"), *[x * 1e3 for x in r["times"]])
PY
else
  echo "bench: hyperfine is not installed; timing a loop of $fast_runs runs each" >&2
  nsenter -t "$MVH_SD_PID" -m -p --wd="$repo" python3 - "$fast_runs" "$b/stamp $b/exec" "$bin -q" \
    "$baseline_fast" >"$b/fast.txt" <<'PY'
import shlex, subprocess, sys, time
n = int(sys.argv[1])
for name, cmd in zip(["stamp_alone", "microvm-here", "baseline"], sys.argv[2:]):
    argv = shlex.split(cmd)
    for _ in range(20):
        subprocess.run(argv, check=True)
    times = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        subprocess.run(argv, check=True)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    print(name, *times)
PY
fi
on_host systemctl stop microvm@bench.service

python3 - "$b/cold.txt" "$b/fast.txt" "$runs" "$fast_runs" <<'PY'
import math, sys
def stats(xs):
    xs = sorted(xs)
    med = xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    return med, xs[max(0, math.ceil(0.9 * len(xs)) - 1)]
cold = {"ours": [], "baseline": []}
for line in open(sys.argv[1]):
    k, gap, total, sshd = line.split()
    cold[k].append((float(gap), float(total), float(sshd)))
fast = {}
for line in open(sys.argv[2]):
    k, *xs = line.split()
    fast[k] = [float(x) for x in xs]
def row(label, what, xs, ref=None):
    med, p90 = stats(xs)
    ratio = "" if ref is None else "  %6.1fx" % (med / ref if ref else float("inf"))
    print("%-22s %-32s %9.1f %9.1f %9.1f%s" % (label, what, med, p90, sum(xs) / len(xs), ratio))
print("%-22s %-32s %9s %9s %9s  %s" % ("", "", "median ms", "p90 ms", "mean ms", "median vs microvm-here"))
og = stats([x[0] for x in cold["ours"]])[0]
ot = stats([x[1] for x in cold["ours"]])[0]
row("a. banner -> exec", "microvm-here", [x[0] for x in cold["ours"]])
row("   (N=%s)" % sys.argv[3], "systemctl/nc -z loop, sleep 1", [x[0] for x in cold["baseline"]], og)
row("   invocation -> exec", "microvm-here", [x[1] for x in cold["ours"]])
row("", "systemctl/nc -z loop, sleep 1", [x[1] for x in cold["baseline"]], ot)
row("   sshd exec -> banner", "(probe, all runs)", [x[2] for x in cold["ours"] + cold["baseline"]])
fo = stats(fast["microvm-here"])[0]
fs = stats(fast["stamp_alone"])[0]
row("b. already running", "microvm-here (incl. the stamp)", fast["microvm-here"])
row("   (N=%s)" % sys.argv[4], "is-active + nc -z + stamp", fast["baseline"], fo)
row("", "stamp alone (one exec)", fast["stamp_alone"])
print("already running: invocation -> exec of ssh ~ %.2f ms (microvm-here minus the stamp alone)" % (fo - fs))
PY
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
