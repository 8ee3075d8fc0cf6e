#!/usr/bin/env bash
# labels: nix
# timeout: 120
# Proves, without nixpkgs (tests/nix/stub_lib.nix stands in for lib): given option values, the
# NixOS and Home Manager modules declare the documented options with the documented defaults and
# define exactly the expected settings, whose texts are the ones nix/lib.nix is tested to produce
# (so what nix_lib_eval.sh and nix_polkit.sh test is what the modules deploy), and the NixOS
# module's assertion fails without microvm.nix's microvm@ template. It does not prove that the
# real module system accepts the option types: nix_upstream.sh does, with the real nixpkgs lib,
# microvm.nix and Home Manager, and nix/checks/nixos-module.nix (a NixOS VM test run by
# `nix flake check`) with a real systemd and polkit.
set -euo pipefail
. "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest}/tests/nix/common.sh"
need nix-instantiate "Debian: apt-get install nix-bin"
need python3 "Debian: apt-get install python3"

cd "$MVH_SOURCE_DIR"
echo "== tests/nix/module_cases.nix"
if ! json=$(eval_json tests/nix/module_cases.nix); then
  echo "FAIL tests/nix/module_cases.nix did not evaluate (the error is above)"
  exit 1
fi
printf '%s' "$json" | python3 tests/nix/check_cases.py
