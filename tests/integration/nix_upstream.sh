#!/usr/bin/env bash
# labels: nix root
# timeout: 1200
# The Nix modules and the package expression against the REAL upstream code, not stand-ins:
# snapshots of microvm.nix, nixpkgs' lib, Home Manager and a few nixpkgs NixOS modules (commits
# in README "Building and checking the flake"), evaluated by Nix 2.26 in the Debian 13 chroot of
# tests/trixie/chroot.sh (current nixpkgs lib refuses Nix < 2.18; Debian 12 has 2.8).
# - tests/nix/upstream/nixos_cases.nix: nix/nixos-module.nix with microvm.nix's host module and
#   a declared VM with a workspace share: no evaluation error, no failed assertion; the assertion
#   about microvm@.service fails with our message without the host module; the tmpfiles lines,
#   the polkit rule, config.toml, the group and the shell init lines of README "What the NixOS
#   module grants" (zsh and fish only with programs.zsh.enable / programs.fish.enable);
# - home_manager_cases.nix: nix/home-manager-module.nix in Home Manager's module system with
#   check = true;
# - package_cases.nix: nix/package.nix's Boost arguments give b2 flags that nixpkgs' boost can
#   build (no --with-<library> beside its --without-python), static only; Catch2 3; the shells
#   tests' tools.
# Skips (77) with the reason when the snapshots are absent or the chroot cannot be made.
set -euo pipefail
. "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest}/tests/nix/common.sh"
: "${MVH_BUILD_DIR:?MVH_BUILD_DIR is not set: run this through ctest}"
need python3 "Debian: apt-get install python3"

# The archives are not in the repository: CI keeps them, read-only, in shared/upstream beside the
# checkout.
snapshots=${MVH_UPSTREAM_DIR:-$MVH_SOURCE_DIR/../shared/upstream}
archives=(microvm.nix-71beea0 nixpkgs-lib-20dd424 home-manager-ec1a8fd nixpkgs-nixos-modules-partial)
for a in "${archives[@]}"; do
  if [ ! -f "$snapshots/$a.tar.xz" ]; then
    echo "SKIP: no upstream snapshot $snapshots/$a.tar.xz (set MVH_UPSTREAM_DIR to the directory holding ${archives[*]/%/.tar.xz})"
    exit 77
  fi
done

chroot_sh=$MVH_SOURCE_DIR/tests/trixie/chroot.sh
rc=0
"$chroot_sh" ensure >/dev/null || rc=$?
if [ "$rc" -eq 77 ]; then
  echo "SKIP: no Debian 13 chroot with Nix >= 2.18 (tests/trixie/chroot.sh said why, above)"
  exit 77
elif [ "$rc" -ne 0 ]; then
  echo "FAIL tests/trixie/chroot.sh ensure exited with $rc"
  exit 1
fi

t=$(mktemp -d "$MVH_BUILD_DIR/nix-upstream.XXXXXX")
trap 'rm -rf -- "$t"' EXIT
up=$t/upstream
mkdir "$up"
for a in "${archives[@]}"; do tar -xJf "$snapshots/$a.tar.xz" -C "$up"; done
# One nixpkgs-shaped tree: Home Manager and the modules find lib/ and nixos/modules/ under
# pkgs.path, as in a whole nixpkgs.
mkdir "$up/nixpkgs"
ln -s ../nixpkgs-lib/lib "$up/nixpkgs/lib"
ln -s ../nixpkgs-nixos-modules/nixos "$up/nixpkgs/nixos"
ln -s ../nixpkgs-nixos-modules/modules "$up/nixpkgs/modules"

in_chroot() {
  "$chroot_sh" run -b "$up:/mvh-upstream" -b "$MVH_SOURCE_DIR:/mvh-src" "$@"
}
echo "== $(in_chroot nix-instantiate --version)"

failed=0
json=()
for f in nixos_cases home_manager_cases package_cases; do
  echo "== tests/nix/upstream/$f.nix"
  if in_chroot nix-instantiate --option build-users-group '' --eval --strict --json \
    "/mvh-src/tests/nix/upstream/$f.nix" --argstr up /mvh-upstream >"$t/$f.json"; then
    json+=("$t/$f.json")
  else
    echo "FAIL tests/nix/upstream/$f.nix did not evaluate with the upstream code (the error is above)"
    failed=1
  fi
done

if [ "${#json[@]}" -gt 0 ]; then
  python3 -c 'import json, sys
print(json.dumps({"cases": [c for f in sys.argv[1:] for c in json.load(open(f))["cases"]]}))' \
    "${json[@]}" >"$t/all.json"
  python3 "$MVH_SOURCE_DIR/tests/nix/check_cases.py" "$t/all.json" || failed=1
fi
exit "$failed"
