#!/bin/bash
# Runs the test guest built by build.sh in the foreground, the way microvm.nix's qemu runner does:
# serial console on stdout (so under systemd it lands in the journal), SIGTERM ends it, and only an
# SSH probe tells when it is ready. Meant as the ExecStart of a stand-in microvm@.service:
#   ExecStart=/path/to/tests/guest/run-qemu.sh 127.83.0.N %i
#
# Usage: run-qemu.sh IP [NAME] [--panic]
#   IP       loopback address (127.0.0.0/8) whose port 22 forwards to the guest's dropbear
#   NAME     guest hostname (default mvh-guest)
#   --panic  boot the initramfs whose /init exits: the kernel panics and qemu exits (-no-reboot)
set -euo pipefail

usage() {
  echo "usage: run-qemu.sh IP [NAME] [--panic]" >&2
  exit 2
}
ip='' name='' panic=0
for arg in "$@"; do
  case $arg in
    --panic) panic=1 ;;
    -*) usage ;;
    *)
      if [[ -z $ip ]]; then
        ip=$arg
      elif [[ -z $name ]]; then
        name=$arg
      else
        usage
      fi
      ;;
  esac
done
[[ -n $ip ]] || usage
name=${name:-mvh-guest}

# This machine may only send traffic to loopback: hostfwd must bind a 127/8 address.
valid_loopback() {
  local a b c d
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} c=${BASH_REMATCH[3]} d=${BASH_REMATCH[4]}
  ((10#$a == 127 && 10#$b <= 255 && 10#$c <= 255 && 10#$d <= 255))
}
if ! valid_loopback "$ip"; then
  echo "run-qemu: refusing address '$ip': only loopback 127.0.0.0/8 is allowed; use 127.83.0.N" >&2
  exit 2
fi
if ! [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,62}$ ]]; then
  echo "run-qemu: invalid guest name '$name': use letters, digits and '-' (at most 63)" >&2
  exit 2
fi

# systemd starts system services without $HOME: fall back to the passwd entry.
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cache=${MVH_GUEST_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/microvm-here/guest}
dir=$cache/current
initrd=$dir/initramfs.gz
[[ $panic == 1 ]] && initrd=$dir/initramfs-panic.gz
if [[ ! -s $dir/vmlinux || ! -s $initrd ]]; then
  echo "run-qemu: no test guest in $dir: run tests/guest/build.sh first" >&2
  exit 1
fi

# KVM only when it is usable for a stock kernel: /dev/kvm writable AND hardware virtualisation.
# (/dev/kvm here can be kvm_pvm, a software hypervisor under which stock kernels crawl and crash.)
if [[ -w /dev/kvm ]] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
  accel=kvm
  accel_args=(-accel kvm -cpu host)
else
  accel=tcg
  accel_args=(-accel 'tcg,tb-size=64' -cpu max)
fi

# Without a known TSC frequency microvm under TCG sometimes hangs calibrating the timer.
mhz=$(awk -F: '/^cpu MHz/ {gsub(/ /, "", $2); print $2; exit}' /proc/cpuinfo)
tsc=''
[[ -n $mhz ]] && tsc="tsc_early_khz=$(awk -v m="$mhz" 'BEGIN {printf "%d", m * 1000}')"

cmdline="console=ttyS0 reboot=t panic=-1 pci=off cryptomgr.notests mitigations=off audit=0 quiet"
cmdline+=" tsc=reliable $tsc mvh_ip=10.0.2.15/24 mvh_gw=10.0.2.2 mvh_hostname=$name"

echo "run-qemu: accel=$accel ip=$ip"
# restrict=on: the guest cannot reach anything outside qemu's own slirp net; hostfwd still works.
exec qemu-system-x86_64 \
  -name "$name" \
  -M microvm,acpi=on,pcie=off \
  "${accel_args[@]}" \
  -m 128 -smp 1 \
  -nographic -serial stdio -monitor none -nodefaults -no-user-config -no-reboot \
  -kernel "$dir/vmlinux" -initrd "$initrd" -append "$cmdline" \
  -netdev "user,id=n0,restrict=on,hostfwd=tcp:$ip:22-:22" \
  -device virtio-net-device,netdev=n0 \
  -device virtio-rng-device
