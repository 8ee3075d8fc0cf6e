#!/usr/bin/env bash
# Does entering a freshly booted real guest ever fail right after our banner detection? Boots the
# real test guest (tests/guest) RUNS times under the private systemd of the test harness and runs
# `microvm-here -vv -- true` from a stopped unit each time (with --twin: two guests at once).
# For every run it keeps, in $MVH_TEST_DIR/runs/N/: microvm-here's stderr (-vv: probe counts),
# the guest console (dropbear logs each connection with -E), and `ss -tn` samples of IP:22 taken
# every ~10 ms while microvm-here ran. Prints one line per run and the failure count.
# Not a test. usage: sudo bench/guest-flake.sh [path/to/microvm-here] [RUNS] [--twin]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/build/microvm-here}")
runs=${2:-20}
twin=${3:-}
export MVH_BIN=$bin MVH_SOURCE_DIR=$here MVH_BUILD_DIR=${MVH_BUILD_DIR:-$(dirname "$bin")}
source "$here/tests/harness/lib.sh"
source "$here/tests/harness/guest.sh"
source "$here/tests/lib/assert.sh"
mvh_require_private_systemd
mvh_guest_build || { echo "flake: $MVH_GUEST_WHY" >&2; exit 2; }
mvh_new_test_dir guest_flake
mvh_guest_use
mvh_boot
source "$here/tests/harness/sandbox.sh"
mvh_sandbox 128 "${MVH_FLAKE_NET:-127.83.10}"
mvh_guest_sandbox
t=$MVH_TEST_DIR
names=(fa)
[ "$twin" = --twin ] && names=(fa fb)
declare -A ip
for n in "${names[@]}"; do
  new_repo "$n" >/dev/null
  echo qemu >"$t/behaviour/$n"
  (cd "$t/repos/$n" && mvh register >/dev/null 2>&1)
  ip[$n]=$(nix_eval "$t/nixfiles/vms/profiles.nix" | python3 -c "import json,sys; print(json.load(sys.stdin)['$n']['ipAddress'])")
done

sample_ss() { # sample_ss OUT IP...: until killed
  local filter="" a
  for a in "${@:2}"; do filter+="${filter:+ or }dst $a or src $a"; done
  while :; do
    echo "T $EPOCHREALTIME"
    ss -tanH "( $filter )" 2>/dev/null || true
    sleep 0.01
  done >"$1"
}

fails=0
for i in $(seq "$runs"); do
  d=$t/runs/$i
  mkdir -p "$d"
  for n in "${names[@]}"; do on_host systemctl stop "microvm@$n.service" 2>/dev/null || true; done
  sample_ss "$d/ss" "${ip[@]}" &
  sampler=$!
  for n in "${names[@]}"; do
    (
      cd "$t/repos/$n"
      set +e
      mvh -vv -- true >"$d/$n.out" 2>"$d/$n.err"
      echo $? >"$d/$n.rc"
    ) &
  done
  wait $(jobs -p | grep -vx "$sampler") 2>/dev/null || true
  kill "$sampler"
  wait "$sampler" 2>/dev/null || true
  line="run $i:"
  for n in "${names[@]}"; do
    on_host journalctl -u "microvm@$n.service" _SYSTEMD_INVOCATION_ID="$(on_host systemctl show -P InvocationID "microvm@$n.service")" \
      -o short-precise --no-pager >"$d/$n.console" 2>&1 || true
    rc=$(cat "$d/$n.rc")
    probe=$(sed -n 's/.*\(probe: .*\)/\1/p' "$d/$n.err" | head -n1)
    line+=" $n rc=$rc [$probe]"
    if [ "$rc" != 0 ]; then
      fails=$((fails + 1))
      line+=" $(grep -m1 -o 'kex_exchange_identification.*\|error: .*' "$d/$n.err" || true)"
    fi
  done
  echo "$line"
done
for n in "${names[@]}"; do on_host systemctl stop "microvm@$n.service" 2>/dev/null || true; done
echo "failures: $fails of $((runs * ${#names[@]})) enters (load $(cut -d' ' -f1-3 /proc/loadavg))"
MVH_KEEP_TEST_DIR=1
