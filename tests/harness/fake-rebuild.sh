#!/bin/bash
# fake-rebuild.sh: the test stand-in for `just switch`. Like a real rebuild it "installs" every
# VM declared in profiles.nix (via install-vm.sh, with the profile's ipAddress) and writes the
# ssh alias of each (Home Manager's matchBlocks) into $MVH_TEST_DIR/ssh_config.d/NAME.conf.
# Knobs in $MVH_TEST_DIR: behaviour/NAME (stand-in behaviour, default sshd), rebuild-fails
# (exit 1 after some output), rebuild-sleep (seconds to sleep first), tmpfiles-workspaces (see
# below). Counts runs in rebuild-count. Runs in the nixfiles directory.
# With tmpfiles-workspaces holding a workspaces directory W, the "activation" does what
# microvm.nix's host module makes NixOS do for each VM's workspace share: the real
# systemd-tmpfiles applies `d W/NAME :0775 :microvm :kvm -` (written to tmpfiles.d/microvm.conf,
# run as root: directly, or through `sudo -n` for a user, which the test must allow), and
# activation.log gets a line per VM: what W/NAME is afterwards (type owner:group mode).
set -euo pipefail
t=${MVH_TEST_DIR:?}
here=$(dirname "$(realpath "$0")")
echo $(( $(cat "$t/rebuild-count" 2>/dev/null || echo 0) + 1 )) >"$t/rebuild-count"
echo "building the system configuration..."
[ -f "$t/rebuild-sleep" ] && sleep "$(cat "$t/rebuild-sleep")"
if [ -f "$t/rebuild-fails" ]; then
  echo "error: attribute 'microvm' missing"
  echo "       at /nix/store/fake-source/flake.nix:12:5"
  exit 1
fi
profiles=$(cat "$t/profiles-path")
json=$(nix-instantiate --eval --strict --json --argstr p "$profiles" \
  -E '{ p }: let f = import p; in if builtins.isFunction f then f { } else f' 2>/dev/null)
mkdir -p "$t/ssh_config.d"
python3 - "$json" <<'PY' | while read -r name ip; do
import json, sys
for name, v in json.loads(sys.argv[1]).items():
    print(name, v["ipAddress"])
PY
  behaviour=sshd
  [ -f "$t/behaviour/$name" ] && behaviour=$(cat "$t/behaviour/$name")
  if [ ! -e "${MVH_STATE_DIR:?}/$name/current" ] || [ -f "$t/reinstall" ]; then
    "$here/install-vm.sh" "$MVH_STATE_DIR" "$name" "$behaviour" "$ip" "${MVH_STANDIN_DELAY:-0.5}"
    echo "installed microvm $name ($behaviour) at $ip"
  fi
  printf 'Host microvm-%s\n  HostName %s\n' "$name" "$ip" >"$t/ssh_config.d/$name.conf"
done
if [ -f "$t/tmpfiles-workspaces" ]; then
  ws=$(cat "$t/tmpfiles-workspaces") conf=$t/tmpfiles.d/microvm.conf
  mkdir -p "$t/tmpfiles.d"
  python3 - "$json" <<'PY' | while read -r name; do
import json, sys
for name in json.loads(sys.argv[1]):
    print(name)
PY
    printf 'd %s/%s :0775 :microvm :kvm -\n' "$ws" "$name"
  done >"$conf.new"
  mv "$conf.new" "$conf"
  if [ "$(id -u)" = 0 ]; then
    systemd-tmpfiles --create "$conf"
  else
    /usr/bin/sudo -n /usr/bin/systemd-tmpfiles --create "$conf"
  fi
  while read -r _ path _; do
    stat -c '%n %F %U:%G %a' "$path" >>"$t/activation.log"
  done <"$conf"
fi
echo "activating the configuration... done"
