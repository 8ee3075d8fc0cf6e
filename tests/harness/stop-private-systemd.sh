#!/bin/bash
# stop-private-systemd.sh PID [WORKDIR]
# Kills the private systemd started by private-systemd.sh (SIGKILL to the namespace's PID 1
# ends every process inside), and its guard when WORKDIR/private-systemd.guard names one.
set -u
pid=${1:?usage: $0 PID [WORKDIR]}
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ]; then
  kill -9 "$pid"
  # It is reparented to the machine's init, which may never reap it: a zombie counts as gone.
  for _ in $(seq 100); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -z "$state" ] || [ "$state" = Z ] && break
    sleep 0.05
  done
fi
if [ -n "${2:-}" ] && [ -f "$2/private-systemd.guard" ]; then
  guard=$(cat "$2/private-systemd.guard")
  if [ "$(cat "/proc/$guard/comm" 2>/dev/null)" = bash ]; then kill -9 "$guard"; fi
  rm -f "$2/private-systemd.guard" "$2/private-systemd.fifo"
fi
exit 0
