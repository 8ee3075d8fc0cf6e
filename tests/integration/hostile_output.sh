#!/usr/bin/env bash
# Terminal escapes in paths and names reach nobody's terminal (README "Threat model"): every
# command that prints a path or a name runs against a corpus of hostile bytes (C0 controls, ESC
# sequences, C1 controls such as the one-byte CSI U+009B, bidi overrides, invalid UTF-8) placed
# in the repository's directory name, the nixfiles and config paths, a profile's name and a
# workspace link's target; all that it prints (stdout and stderr) must be valid UTF-8 without
# any of them (tests/harness/terminal_safe.py), and a sample message is pinned exactly.
# labels: cli
# timeout: 900
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v python3 >/dev/null || skip "python3 is missing"
command -v git >/dev/null || skip "git is not installed"

# Not under the build tree: that is inside a git repository, and "not a repository" matters here.
t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_RUNTIME_DIR=$t/run
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$t/no-bus
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE
mkdir -p "$HOME"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
check=$MVH_SOURCE_DIR/tests/harness/terminal_safe.py

corpus=(
  $'\e[31mred\e[0m' $'\e]0;title\a' $'\e]8;;x\e\\' $'\x01\x08\x7f' $'cr\rback'
  $'\xc2\x9b31m' $'\xc2\x9d0;t\xc2\x9c' $'\xc2\x85'
  $'\u202egnp.exe' $'\u2066iso\u2069' $'\u200f'
  $'\xff\xfe' $'\xc3' $'\xed\xa0\x80' $'\xe2\x80'
)

# run_checked WHAT CMD...: runs CMD, checks everything it printed.
run_checked() {
  local what=$1
  shift
  set +e
  "$@" >"$t/out" 2>&1
  set -e
  if why=$(python3 "$check" "$t/out"); then
    ok "$what"
  else
    not_ok "$what: $why"
  fi
}

i=0
for bad in "${corpus[@]}"; do
  i=$((i + 1))
  label="corpus $i ($(printf '%q' "$bad"))"
  base=$t/c$i
  nix="$base/nix$bad"
  repo="$base/repo-$bad-x"
  mkdir -p "$nix" "$repo" "$base/plain$bad" "$base/ws"
  git -C "$repo" init -q
  git -C "$nix" init -q
  printf '{ }:\n{\n  "p%s" = { ipAddress = "127.83.9.9"; };\n}\n' "$bad" >"$nix/profiles.nix"
  ln -s "/home/other/$bad" "$base/ws/repo-x"  # another user's link target
  config="$base/config$bad.toml"
  printf 'nixfiles = "%s"\nprofiles = "profiles.nix"\nworkspaces = "%s"\n' \
    "$(printf '%s' "$nix" | python3 -c 'import sys,json; print(json.dumps(sys.stdin.buffer.read().decode("utf-8","surrogateescape"))[1:-1])' 2>/dev/null || echo x)" \
    "$base/ws" >"$config"
  export MICROVM_HERE_CONFIG=$config
  run_checked "$label: name" bash -c 'cd -- "$1" && exec "$2" name' _ "$repo" "$MVH_BIN"
  run_checked "$label: name PATH" "$MVH_BIN" name "$base/plain$bad"
  run_checked "$label: trust" "$MVH_BIN" trust "$repo"
  run_checked "$label: trust again" "$MVH_BIN" trust "$repo"
  run_checked "$label: trust a non-repository" "$MVH_BIN" trust "$base/plain$bad"
  run_checked "$label: untrust" "$MVH_BIN" untrust "$repo"
  run_checked "$label: untrust again" "$MVH_BIN" untrust "$repo"
  run_checked "$label: list" "$MVH_BIN" list
  run_checked "$label: list --json" "$MVH_BIN" list --json
  run_checked "$label: list --names" "$MVH_BIN" list --names
  run_checked "$label: status" "$MVH_BIN" status repo-x
  run_checked "$label: --nixfiles missing" "$MVH_BIN" --nixfiles "$base/missing$bad" list
  run_checked "$label: hook-env" bash -c 'cd -- "$1" && exec "$2" hook-env bash' _ "$repo" "$MVH_BIN"
  run_checked "$label: doctor" "$MVH_BIN" doctor
  printf 'nixfiles = [\n' >"$config"
  run_checked "$label: a broken config" "$MVH_BIN" list
  run_checked "$label: hook-env with a broken config" bash -c 'cd -- "$1" && exec "$2" hook-env bash' \
    _ "$repo" "$MVH_BIN"
  printf '{ }:\n{\n  "p%s" = { ipAddress = 1 +; };\n}\n' "$bad" >"$nix/profiles.nix"
  printf 'nixfiles = "%s/nixlink"\nprofiles = "profiles.nix"\n' "$base" >"$config"
  ln -s "$nix" "$base/nixlink"
  run_checked "$label: a broken profiles.nix" "$MVH_BIN" list --names
done

# Pinned messages: the escapes as they are shown.
mkdir -p "$t/p/nix" "$t/p/plain"$'\xc2\x9b'
git -C "$t/p/nix" init -q
printf '{ }:\n{\n  "a\xc2\x9bb\xe2\x80\xaec" = { };\n}\n' >"$t/p/nix/profiles.nix"
printf 'nixfiles = "%s"\nprofiles = "profiles.nix"\n' "$t/p/nix" >"$t/p/config.toml"
export MICROVM_HERE_CONFIG=$t/p/config.toml
run_capture "$MVH_BIN" list --names
assert_eq "list --names: the C1 and bidi controls of a name are escaped" \
  "microvm-here: warning: $t/p/nix/profiles.nix:3: skipping the profile \"a\\u009bb\\u202ec\": it is not a valid VM name (1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit); rename it in that file" "$err"
run_capture "$MVH_BIN" trust "$t/p/plain"$'\xc2\x9b'
assert_eq "trust: the C1 control of a path is escaped" \
  "microvm-here: error: '$t/p/plain\\u009b' is not inside a git repository; 'trust' takes a repository (cd into one or pass its path)" "$err"
finish
