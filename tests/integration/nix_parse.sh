#!/usr/bin/env bash
# labels: nix
# timeout: 120
# Proves: every .nix file in the repository is valid Nix syntax (nix-instantiate --parse: no
# evaluation, no nixpkgs). It does not prove that flake.nix evaluates or that the package builds
# (that needs nixpkgs: `nix flake check`). A fixture that is invalid on purpose says so with the
# line "# mvh-test: unparsable on purpose" in its first five lines and is listed as skipped.
set -euo pipefail
. "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest}/tests/nix/common.sh"
need nix-instantiate "Debian: apt-get install nix-bin"

cd "$MVH_SOURCE_DIR"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t listed < <(git ls-files --cached --others --exclude-standard -- '*.nix' | sort -u)
else
  mapfile -t listed < <(find . -name '*.nix' -not -path './build*' -not -path './.git/*' | sed 's|^\./||' | sort)
fi
files=()
for f in "${listed[@]}"; do
  [[ -f $f ]] && files+=("$f")
done

# The packaging's own files must be among them, or the listing itself went wrong.
for f in flake.nix nix/package.nix nix/lib.nix nix/options.nix nix/nixos-module.nix \
  nix/home-manager-module.nix; do
  if [[ ! " ${files[*]} " == *" $f "* ]]; then
    echo "FAIL $f was not found among the repository's .nix files (${#files[@]} found)"
    exit 1
  fi
done

parsed=0 skipped=0 failed=0
for f in "${files[@]}"; do
  if head -n 5 "$f" | grep -qx '# mvh-test: unparsable on purpose'; then
    echo "skip $f (marked unparsable on purpose)"
    skipped=$((skipped + 1))
  elif err=$(nix_instantiate --parse "$f" 2>&1 >/dev/null); then
    echo "ok   $f"
    parsed=$((parsed + 1))
  else
    echo "FAIL $f does not parse:"
    printf '%s\n' "$err" | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done
echo "$parsed parsed, $failed failed, $skipped skipped (marked)"
[[ $failed -eq 0 ]]
