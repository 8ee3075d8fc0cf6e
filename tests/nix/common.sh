# Sourced by tests/integration/nix_*.sh: skipping with a reason, and nix-instantiate without the
# "group 'nixbld' does not exist" warning of a Nix that was never set up for building.

# need TOOL HOW: exit 77 (ctest: skipped) when TOOL is missing, saying how to get it.
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "SKIP: $1 not found; $2"
    exit 77
  fi
}

nix_instantiate() {
  nix-instantiate --option build-users-group '' "$@"
}

# eval_json FILE: the file's value, fully evaluated, as JSON on stdout.
eval_json() {
  nix_instantiate --eval --strict --json "$1"
}

: "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest, or export it as the repository root}"
