#!/bin/bash
# make-unitdir.sh UNITDIR STATE_DIR
# Fills UNITDIR with the units a private systemd (private-systemd.sh) needs: dbus and journald
# copied from the machine, empty standard targets, private.target, and a stand-in
# microvm@.service shaped like microvm.nix's, whose runner is STATE_DIR/<name>/current/bin/microvm-run
# (STATE_DIR plays /var/lib/microvms; install-vm.sh writes runners there).
# MVH_RESTART_SEC (default 1s) replaces microvm.nix's RestartSec=5s.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 UNITDIR STATE_DIR" >&2; exit 2; }
mkdir -p "$1" "$2"
units=$(realpath "$1") state=$(realpath "$2")
for u in dbus.socket dbus.service systemd-journald.socket systemd-journald.service \
  systemd-journald-dev-log.socket; do
  cp "/lib/systemd/system/$u" "$units/$u"
done
for t in basic local-fs network paths shutdown sockets sysinit timers; do
  printf '[Unit]\nDescription=%s\n' "$t" >"$units/$t.target"
done
# journald runs before the target is reached: until it does, PID 1 logs to the console only
# (manager_recheck_journal), and its "Started ..." lines would be missing from the journal.
cat >"$units/private.target" <<EOS
[Unit]
Description=private test system
Requires=dbus.socket systemd-journald.socket systemd-journald.service
After=dbus.socket systemd-journald.socket systemd-journald.service
EOS
cat >"$units/microvm@.service" <<EOS
# Stand-in for microvm.nix's microvm@.service: same condition, restart policy and type;
# the runner is a script written by tests/harness/install-vm.sh.
[Unit]
Description=MicroVM '%i' (test stand-in)
ConditionPathExists=$state/%i/current/bin/microvm-run
# microvm.nix's RestartSec=5s never reaches the default start limit (5 starts in 10 s); with a
# short RestartSec it would, so the limit is off to keep the crash loop going.
StartLimitIntervalSec=0

[Service]
Type=simple
# microvm-set-booted@ in microvm.nix: booted names the runner this start used.
ExecStartPre=-/bin/sh -c 'ln -sfnT "\$\$(readlink $state/%i/current)" $state/%i/booted'
ExecStart=$state/%i/current/bin/microvm-run
Restart=always
RestartSec=${MVH_RESTART_SEC:-1s}
TimeoutSec=150
TimeoutStopSec=5s
EOS
