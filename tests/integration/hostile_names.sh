#!/usr/bin/env bash
# Hostile repository names and paths: `name` and `register` from repos named with newlines,
# quotes, ${, ;, $(…), backticks, backslashes, unicode, 255 bytes, through a symlink, and from
# names that sanitize to nothing. Every registration must evaluate under the real
# nix-instantiate to exactly the derived names (nothing interpolated, nothing run), and every
# refusal must be the exact message. The nixfiles dir, profiles path and vm_home_dir are hostile
# too, since they end up in argv of git and nix-instantiate.
# labels: nix
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v nix-instantiate >/dev/null || skip "nix-instantiate (Debian nix-bin) is not installed"
command -v git >/dev/null || skip "git is not installed"

t=$(scratch_dir hostile)
trap 'rm -rf -- "$t"' EXIT
# The config's own paths: quotes, ${, $(…), a newline.
nix="$t/nix files \"\${x}\" \$(touch pwned)"
profiles_rel="p r\"o\${y}/profiles.nix"
home_rel=$'homes/we\'ird ${z} `touch pwned`\nx'
profiles=$nix/$profiles_rel
homes=$nix/$home_rel
mkdir -p "$(dirname "$profiles")" "$t/repos" "$t/home" "$t/run"
chmod 700 "$t/run"  # private, as systemd makes it (README "Threat model")
cp "$MVH_SOURCE_DIR/tests/data/host-profiles.nix" "$profiles"
git -C "$nix" init -q
export HOME=$t/home XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state
export MICROVM_HERE_CONFIG=$t/config.toml
python3 - "$MICROVM_HERE_CONFIG" "$nix" "$profiles_rel" "$home_rel" <<'EOF'
import json, sys
# JSON strings are TOML basic strings (\", \\, \n, \uXXXX).
with open(sys.argv[1], "w") as f:
    for key, value in zip(("nixfiles", "profiles", "vm_home_dir"), sys.argv[2:]):
        f.write(f"{key} = {json.dumps(value)}\n")
EOF

# repo directory name -> the name microvm-here must derive from it
long=$(printf 'b%.0s' $(seq 255))
long_name=$(printf 'b%.0s' $(seq 56))-$(printf '%s' "$long" | sha256sum | cut -c1-6)
declare -A want=(
  [$'new\nline']=new-line
  ['dq"x']=dq-x
  ["sq'x"]=sq-x
  ['dollar${x}']=dollar-x
  ['dd$${y}']=dd-y
  ['semi;x']=semi-x
  ['$(touch pwned)']=touch-pwned
  ['`touch pwned2`']=touch-pwned2
  ['back\slash']=back-slash
  ['café']=caf
  ['naïve-app']=na-ve-app
  [$'tab\there']=tab-here
  ['--help']=help
  ['.hidden']=hidden
  ["$long"]=$long_name
)
names=()
for dir in "${!want[@]}"; do
  mkdir -p "$t/repos/$dir"
  git init -q "$t/repos/$dir"
done
# A symlinked root: the name comes from the directory it resolves to.
mkdir -p "$t/repos/symreal" && git init -q "$t/repos/symreal"
ln -s "$t/repos/symreal" "$t/repos/sym link"

for dir in "${!want[@]}"; do
  what=$(printf '%q' "$dir")
  [ ${#dir} -le 60 ] || what="(a ${#dir}-byte name)"
  run_capture bash -c 'cd -- "$1" && exec "$2" name' _ "$t/repos/$dir" "$MVH_BIN"
  assert_eq "name in $what" "0 ${want[$dir]} " "$rc $out $err"
  run_capture bash -c 'cd -- "$1" && exec "$2" register' _ "$t/repos/$dir" "$MVH_BIN"
  assert_eq "register exit in $what" 0 "$rc"
  assert_eq "register names ${want[$dir]}" "registered ${want[$dir]} in $profiles" "${out%%$'\n'*}"
  names+=("${want[$dir]}")
done
run_capture bash -c 'cd -- "$1" && exec "$2" name' _ "$t/repos/sym link" "$MVH_BIN"
assert_eq "name through a symlinked root" "0 symreal " "$rc $out $err"
run_capture "$MVH_BIN" name "$t/repos/sym link/."
assert_eq "name of a symlinked root given as a path" "0 symreal " "$rc $out $err"
run_capture "$MVH_BIN" name "$t/repos/sym link/../dq\"x"
assert_eq "name of PATH with ../ (resolved after the symlink, as the kernel does)" "0 dq-x " \
  "$rc $out $err"
run_capture bash -c 'cd -- "$1" && exec "$2" register' _ "$t/repos/sym link" "$MVH_BIN"
assert_eq "register through a symlinked root" "0 registered symreal in $profiles" "$rc ${out%%$'\n'*}"
names+=(symreal)

# Real Nix: exactly the old entries plus the derived names, nothing evaluated inside them.
json=$(nix_eval "$profiles")
got=$(python3 -c 'import json,sys; print("\n".join(sorted(json.loads(sys.argv[1]))))' "$json")
expected=$(printf '%s\n' alias-watch nixfiles "${names[@]}" | LC_ALL=C sort)
assert_eq "nix-instantiate sees exactly the derived names" "$expected" "$got"
# Each Home Manager module: the exact text, and it evaluates to an empty module.
bad_home=0
for n in "${names[@]}"; do
  f=$homes/$n/default.nix
  body=$(printf '# Home Manager module of the microVM "%s", created by microvm-here.\n# Per-VM user configuration goes here (packages, programs, dotfiles).\n{ ... }:\n{\n}' "$n")
  [ "$(cat "$f")" == "$body" ] || { bad_home=$((bad_home + 1)); echo "    bad home file for $n"; }
done
assert_eq "every Home Manager file has its exact text" 0 "$bad_home"
homes_json=$(nix-instantiate --eval --strict --json --argstr d "$homes" \
  -E '{ d }: builtins.mapAttrs (n: _: import (/. + "${d}/${n}/default.nix") { }) (builtins.readDir d)' 2>/dev/null)
want_homes=$(python3 -c 'import json,sys; print(json.dumps({n: {} for n in sys.argv[1:]}, sort_keys=True, separators=(",", ":")))' "${names[@]}")
assert_eq "real Nix imports every Home Manager file" "$want_homes" "$homes_json"
assert_contains "git sees the files under the hostile paths" "default.nix" \
  "$(git -C "$nix" status --porcelain --untracked-files=all)"
assert_eq "nothing ran: no file named pwned anywhere" "" "$(find "$t" -name 'pwned*' -print)"

# Names that sanitize to nothing, and /: the exact refusal, nothing written.
before=$(cat "$profiles")
mkdir -p "$t/repos/..." "$t/repos/___" "$t/repos/日本" "$t/repos/-"
for dir in ... ___ 日本 -; do
  git init -q "$t/repos/$dir"
  for verb in name register; do
    run_capture bash -c 'cd -- "$1" && exec "$2" "$3"' _ "$t/repos/$dir" "$MVH_BIN" "$verb"
    assert_eq "$verb in $dir refused" "2 microvm-here: error: cannot derive a VM name from '$t/repos/$dir'; name it: microvm-here NAME" "$rc $err"
  done
done
run_capture bash -c 'cd / && exec "$1" register' _ "$MVH_BIN"
assert_eq "register in / refused" "2 microvm-here: error: '/' is not inside a git repository; cd into a repository, or share this directory with a VM anyway: microvm-here --share-any-dir" "$rc $err"
# A newline or an escape sequence in the path is shown escaped, on one line.
git init -q "$t/repos/"$'\n\e[...'
run_capture "$MVH_BIN" name "$t/repos/"$'\n\e[...'
assert_eq "a control byte in a refused path is escaped" \
  "2 microvm-here: error: cannot derive a VM name from '$t/repos/\\n\\x1b[...'; name it: microvm-here NAME" "$rc $err"
run_capture "$MVH_BIN" name "$t/repos/"$'gone\n\e[31m'
assert_eq "a control byte in a missing path is escaped" \
  "2 microvm-here: error: cannot read '$t/repos/gone\\n\\x1b[31m': No such file or directory" "$rc $err"
# Explicit names are never rewritten: refused as given.
for bad in 'a"b' '${x}' $'x\ny' 'a;b' '../x' "$long"; do
  run_capture "$MVH_BIN" register "$bad"
  shown=${bad//$'\n'/\\n}
  what=$(printf '%q' "$bad")
  [ ${#bad} -le 60 ] || what="(a ${#bad}-byte name)"
  assert_eq "register $what refused" "2 microvm-here: error: invalid VM name '$shown': use 1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit" "$rc $err"
done
assert_eq "refusals wrote nothing" "$before" "$(cat "$profiles")"

# A profiles.nix that needs evaluating, at the hostile path: nix-instantiate gets the path as
# an argument, never as Nix source.
printf 'let n = 9; in { evaluated = { ipAddress = "10.0.0.${toString n}"; }; }\n' >"$nix/eval me.nix"
python3 -c 'import json,sys; print("nixfiles = " + json.dumps(sys.argv[1]) + "\nprofiles = \"eval me.nix\"")' \
  "$nix" >"$t/eval.toml"
run_capture env MICROVM_HERE_CONFIG="$t/eval.toml" "$MVH_BIN" list --json
assert_eq "list evaluates a file under the hostile path" '0 [
  {
    "name": "evaluated",
    "ipAddress": "10.0.0.9",
    "tapId": null,
    "mac": null,
    "vsockCid": null,
    "installed": false,
    "activeState": null,
    "subState": null,
    "workspace": null,
    "profile": true,
    "restartToApply": false
  }
]' "$rc $out"
finish
