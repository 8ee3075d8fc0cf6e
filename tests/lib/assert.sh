# Small assertion helpers for the integration scripts (bash). Source it; call `finish` at the end.
# Each check prints "ok - what" or "FAIL - what" with the difference; the script exits 1 at
# `finish` if any check failed, and prints "N passed, M failed".
_mvh_pass=0
_mvh_fail=0

ok() { _mvh_pass=$((_mvh_pass + 1)); echo "ok - $1"; }
not_ok() { _mvh_fail=$((_mvh_fail + 1)); echo "FAIL - $1"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
  if [ "$2" == "$3" ]; then ok "$1"; else
    not_ok "$1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /' | head -40  || true
  fi
}

# assert_contains WHAT NEEDLE HAYSTACK
assert_contains() {
  if [[ "$3" == *"$2"* ]]; then ok "$1"; else
    not_ok "$1"
    echo "    expected to contain: $2"
    printf '%s\n' "$3" | sed 's/^/    | /' | head -40 || true
  fi
}

assert_not_contains() {
  if [[ "$3" != *"$2"* ]]; then ok "$1"; else
    not_ok "$1"
    echo "    expected NOT to contain: $2"
    printf '%s\n' "$3" | sed 's/^/    | /' | head -40 || true
  fi
}

# run_capture CMD...: sets $out, $err, $rc
run_capture() {
  local o e
  o=$(mktemp) e=$(mktemp)
  set +e
  "$@" >"$o" 2>"$e"
  rc=$?
  set -e
  out=$(cat "$o") err=$(cat "$e")
  rm -f "$o" "$e"
}

skip() { echo "SKIP: $*"; exit 77; }

finish() {
  echo "$_mvh_pass passed, $_mvh_fail failed"
  [ "$_mvh_fail" -eq 0 ]
}

# A scratch directory under the build tree (not /tmp: private systemd namespaces have their own).
scratch_dir() {
  local base=${MVH_BUILD_DIR:-$PWD}/itest
  mkdir -p "$base"
  mktemp -d "$base/$1.XXXXXX"
}

# nix_eval FILE: the JSON value of `import FILE {}`
nix_eval() {
  nix-instantiate --eval --strict --json --argstr p "$1" \
    -E '{ p }: let f = import p; in if builtins.isFunction f then f { } else f' 2>/dev/null
}
