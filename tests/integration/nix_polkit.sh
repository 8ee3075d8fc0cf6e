#!/usr/bin/env bash
# labels: nix
# timeout: 120
# Proves: the polkit rule the NixOS module deploys (nix/lib.nix polkitRule, rendered by
# nix-instantiate exactly as the module renders it), run under node the way polkitd runs rules,
# answers YES to a member of the group for start/stop/restart of microvm@<name>.service and
# NOT_HANDLED (so later rules decide) for every other unit, verb, action, transient unit and
# non-member, for the default group and for another one. It does not prove that systemd sends
# those details; nix/checks/nixos-module.nix (a NixOS VM test) does, with real systemd and polkit.
set -euo pipefail
. "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest}/tests/nix/common.sh"
need nix-instantiate "Debian: apt-get install nix-bin"
need node "Debian: apt-get install nodejs"

cd "$MVH_SOURCE_DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for group in microvm-here vmusers; do
  if [[ $group == microvm-here ]]; then args='{ }'; else args="{ group = \"$group\"; }"; fi
  echo "== polkitRule $args, tested for group $group"
  if ! nix_instantiate --eval --strict --json \
    -E "(import ./nix/lib.nix).polkitRule $args" >"$tmp/$group.json"; then
    echo "FAIL polkitRule $args did not evaluate (the error is above)"
    status=1
    continue
  fi
  node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[2], JSON.parse(fs.readFileSync(process.argv[1], "utf8")))' \
    "$tmp/$group.json" "$tmp/$group.rules"
  node tests/nix/polkit_test.js "$tmp/$group.rules" "$group" || status=1
done
exit "$status"
