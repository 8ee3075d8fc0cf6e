#!/bin/bash
# private-systemd.sh UNITDIR [WORKDIR]
# Boots systemd as PID 1 of new PID+mount(+UTS+IPC) namespaces with ONLY the units in UNITDIR,
# waits until its manager runs and its system bus socket exists, and prints its host pid.
# Run commands "on that host" with: nsenter -t PID -m -p CMD
# Stop it with: stop-private-systemd.sh PID [WORKDIR]
# WORKDIR (default: the parent of UNITDIR) receives private-systemd.init, .log and .guard.
# MVH_SD_MAX_SECONDS (default 900): a guard kills the private systemd after that long, so a
# test killed without running its trap leaves nothing behind for good.
#
# The private tmpfs on /run, /tmp and /var/tmp are not optional: without them systemd's
# tmpfiles handling wipes the machine's real /tmp. /var/log/journal gets one too, so journald
# never writes into the machine's persistent journal. PID 1 logs to the journal as on a real
# host (its "Started ..." lines show in journalctl -u); until journald runs, to the .log file.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 UNITDIR [WORKDIR]" >&2; exit 2; }
units=$(realpath "$1")
work=$(realpath "${2:-$units/..}")
[ -f "$units/private.target" ] || { echo "$0: $units has no private.target (see make-unitdir.sh)" >&2; exit 2; }
case "$units/" in
  /run/*) echo "$0: $units is hidden by the private tmpfs on /run; use a directory elsewhere" >&2; exit 2 ;;
esac
init=$work/private-systemd.init log=$work/private-systemd.log
# MVH_KEEP_PATHS: space-separated directories under /tmp or /var/tmp to keep visible inside.
keep_paths=${MVH_KEEP_PATHS:-}
cat >"$init" <<EOS
#!/bin/bash
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
# Directories the tests need that live under /tmp or /var/tmp (a checkout or build dir there)
# are bound back on top of the private tmpfs; the rest of the real /tmp stays hidden.
mkdir -p /run/.mvh-old/tmp /run/.mvh-old/var-tmp
mount --bind /tmp /run/.mvh-old/tmp
mount --bind /var/tmp /run/.mvh-old/var-tmp
mount -t tmpfs tmpfs /tmp          # systemd must never touch the real /tmp
mount -t tmpfs tmpfs /var/tmp
for keep in $keep_paths; do
  case "\$keep" in
    /tmp/*) old=/run/.mvh-old/tmp/\${keep#/tmp/} ;;
    /var/tmp/*) old=/run/.mvh-old/var-tmp/\${keep#/var/tmp/} ;;
    *) continue ;;
  esac
  mkdir -p "\$keep"
  mount --bind "\$old" "\$keep"
done
umount -l /run/.mvh-old/tmp /run/.mvh-old/var-tmp
if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi
mkdir -p /run/systemd /run/dbus /run/log/journal
export SYSTEMD_UNIT_PATH=$units
exec /lib/systemd/systemd --system --unit=private.target --log-target=journal --show-status=0
EOS
chmod +x "$init"
setsid unshare --fork --pid --mount --mount-proc --uts --ipc "$init" >"$log" 2>&1 </dev/null &
outer=$!
pid=
for _ in $(seq 200); do # up to 10 s
  pid=$(pgrep -P "$outer" -x systemd || true)
  if [ -n "$pid" ] &&
    nsenter -t "$pid" -m -p systemctl is-system-running 2>/dev/null | grep -qE '^(running|degraded)$' &&
    nsenter -t "$pid" -m test -S /run/dbus/system_bus_socket; then
    break
  fi
  pid=
  sleep 0.05
done
if [ -z "$pid" ]; then
  echo "$0: the private systemd did not come up within 10 s; its log ($log):" >&2
  tail -n 30 "$log" >&2 || true
  kill -9 "$outer" 2>/dev/null || true
  exit 1
fi
# The guard is one bash process (read -t on a FIFO instead of a sleep child, so killing it by
# pid leaves nothing behind); it only kills a pid that is still a process named systemd.
rm -f "$work/private-systemd.fifo" && mkfifo "$work/private-systemd.fifo"
setsid bash -c 'read -r -t "$1" _ <>"$3"; [ "$(cat /proc/$2/comm 2>/dev/null)" = systemd ] && kill -9 "$2"' \
  guard "${MVH_SD_MAX_SECONDS:-900}" "$pid" "$work/private-systemd.fifo" </dev/null >/dev/null 2>&1 &
echo $! >"$work/private-systemd.guard"
echo "$pid"
