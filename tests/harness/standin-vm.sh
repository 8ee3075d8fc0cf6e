#!/bin/bash
# standin-vm.sh BEHAVIOUR IP [DELAY]
# What a stand-in VM's microvm-run executes (under the private systemd, as microvm@NAME).
# Every behaviour first prints a line starting "booting stand-in VM".
#   sshd      sleep DELAY (default 0) seconds, then exec sshd on IP:22 (keys in $MVH_TEST_DIR/ssh)
#   fail      print an error line, exit 1 at once
#   crash     exit 1 after ~0.2 s (under Restart=always: a crash loop)
#   hang      never listen, sleep forever
#   nobanner  accept TCP on IP:22 but never send a byte
#   qemu      exec tests/guest/run-qemu.sh IP NAME: the real guest (qemu -M microvm, console on
#             stdout, hostfwd IP:22 -> dropbear); needs tests/guest/build.sh run first
#   qemu-panic  the same with the broken init: the kernel panics and qemu exits 0
# The qemu behaviours read MVH_VM_NAME (guest hostname) and MVH_GUEST_CACHE (the guest build),
# which install-vm.sh writes into the runner.
set -u
here=$(dirname "$(realpath "$0")")
behaviour=${1:?usage: $0 BEHAVIOUR IP [DELAY]} ip=${2:?usage: $0 BEHAVIOUR IP [DELAY]} delay=${3:-0}
echo "booting stand-in VM ($behaviour) on $ip"
case "$behaviour" in
  sshd)
    ssh=${MVH_TEST_DIR:?MVH_TEST_DIR must name the test directory}/ssh
    sleep "$delay"
    mkdir -p /run/sshd # privilege separation directory
    exec /usr/sbin/sshd -D -e -f "$ssh/sshd_config" -h "$ssh/host_ed25519_key" \
      -o ListenAddress="$ip" -p 22 -o PidFile=none
    ;;
  fail)
    echo "stand-in VM: cannot start the hypervisor: 'fail' behaviour requested" >&2
    exit 1
    ;;
  crash)
    sleep 0.2
    echo "stand-in VM: guest crashed" >&2
    exit 1
    ;;
  hang)
    echo "stand-in VM: hanging before the network comes up"
    exec sleep infinity
    ;;
  nobanner)
    exec /usr/bin/python3 -u -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 22))
s.listen(64)
print("stand-in VM: accepting on %s:22 without a banner" % sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])  # kept open, never written to
' "$ip"
    ;;
  qemu | qemu-panic)
    # exec all the way down: qemu becomes the unit's main process, so `systemctl stop` sends
    # SIGTERM to qemu itself (as with microvm.nix's runner) and nothing is left behind.
    args=("$ip" "${MVH_VM_NAME:-mvh-guest}")
    [ "$behaviour" = qemu-panic ] && args+=(--panic)
    exec "$here/../guest/run-qemu.sh" "${args[@]}"
    ;;
  *)
    echo "stand-in VM: unknown behaviour '$behaviour' (sshd, fail, crash, hang, nobanner, qemu, qemu-panic)" >&2
    exit 2
    ;;
esac
