#!/usr/bin/env bash
# hook-env's cache of the profile names ($XDG_RUNTIME_DIR/microvm-here/profile-names-*): written
# only for a profiles.nix unchanged for 2 s, used while the file's stat key matches, and never
# the reason an edit goes unseen (same size, mtime forced back with touch) or a corrupt cache
# file changes the answer.
# timeout: 60
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_RUNTIME_DIR=$t/run
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE MICROVM_HERE_HOOK MICROVM_HERE_HOOK_PID
mkdir -p "$HOME" "$t/nix" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"  # private, as systemd makes it (README "Threat model")
profiles=$t/nix/profiles.nix
entry() { printf '  %s = { ipAddress = "127.83.0.%s"; };\n' "$1" "$2"; }
{ echo '{ }:'; echo '{'; entry foo 5; entry bar 6; echo '}'; } >"$profiles"
printf 'nixfiles = "%s/nix"\nprofiles = "profiles.nix"\nsubnet = "127.83.0.0/24"\n' "$t" >"$t/config.toml"
export MICROVM_HERE_CONFIG=$t/config.toml
for r in foo bar fop other; do mkdir -p "$t/repos/$r" && git -C "$t/repos/$r" init -q; done
cache_dir=$XDG_RUNTIME_DIR/microvm-here
yes=$'\nexport MICROVM_HERE_PROFILE=1'

# in REPO: hook-env bash's output there
hook_in() { (cd "$t/repos/$1" && "$MVH_BIN" hook-env bash 2>&1); }

assert_eq "fresh file: answer" "export MICROVM_HERE_NAME=foo$yes" "$(hook_in foo)"
assert_eq "fresh file: not cached (changed less than 2 s ago)" "no" "$(compgen -G "$cache_dir/profile-names-*" >/dev/null && echo yes || echo no)"
sleep 2.1
out=$(cd "$t/repos/foo" && env -u XDG_RUNTIME_DIR "$MVH_BIN" hook-env bash 2>&1)
assert_eq "no XDG_RUNTIME_DIR: answer" "export MICROVM_HERE_NAME=foo$yes" "$out"
assert_eq "no XDG_RUNTIME_DIR: no cache anywhere" "" "$(find "$t" -name 'profile-names-*')"
assert_eq "aged file: answer" "export MICROVM_HERE_NAME=bar$yes" "$(hook_in bar)"
cache=$(echo "$cache_dir"/profile-names-*)
assert_eq "aged file: one cache file" "1" "$(find "$t" -name 'profile-names-*' | wc -l)"
assert_eq "cache is private" "600" "$(stat -c %a "$cache")"
cp "$cache" "$t/good-cache"
if command -v strace >/dev/null; then
  # LeakSanitizer (CI's sanitizer build) exits non-zero under ptrace: only the trace counts.
  opened=$(cd "$t/repos/foo" && strace -f -e trace=open,openat "$MVH_BIN" hook-env bash 2>&1 >/dev/null || true)
  assert_contains "a hit reads the cache" "$cache" "$opened"
  assert_not_contains "a hit does not read profiles.nix" "$profiles" "$opened"
fi

# Corrupt cache files are ignored (and replaced by a good one).
printf 'garbage' >"$cache"
assert_eq "garbage cache: answer" "export MICROVM_HERE_NAME=foo$yes" "$(hook_in foo)"
assert_eq "garbage cache: rewritten" "same" "$(cmp -s "$cache" "$t/good-cache" && echo same || echo differs)"
head -c 60 "$t/good-cache" >"$cache"
assert_eq "truncated cache: answer" "export MICROVM_HERE_NAME=bar$yes" "$(hook_in bar)"
sed 's/^3:foo$/3:fop/' "$t/good-cache" >"$cache"
assert_eq "cache with a changed name: test setup" "differs" "$(cmp -s "$cache" "$t/good-cache" && echo same || echo differs)"
assert_eq "cache with a changed name: not believed" "export MICROVM_HERE_NAME=fop" "$(hook_in fop)"
sed 's/^3:foo$/3:fop/' "$t/good-cache" >"$cache"
assert_eq "cache with a changed name: the real name still counts" "export MICROVM_HERE_NAME=foo$yes" "$(hook_in foo)"

# Edits are seen while the cache holds the old names.
cp "$t/good-cache" "$cache"
touch -r "$profiles" "$t/mtime"
size=$(stat -c %s "$profiles")
ino=$(stat -c %i "$profiles")
sed 's/^  foo =/  fop =/' "$profiles" >"$t/edited"
cat "$t/edited" >"$profiles" # in place, as an editor that keeps the inode writes
touch -r "$t/mtime" "$profiles"
assert_eq "same-size edit: same inode" "$ino" "$(stat -c %i "$profiles")"
assert_eq "same-size edit: same size" "$size" "$(stat -c %s "$profiles")"
assert_eq "same-size edit: same mtime" "$(stat -c %Y.%y "$t/mtime")" "$(stat -c %Y.%y "$profiles")"
assert_eq "same-size edit: the old name is gone" "export MICROVM_HERE_NAME=foo" "$(hook_in foo)"
assert_eq "same-size edit: the new name is seen" "export MICROVM_HERE_NAME=fop$yes" "$(hook_in fop)"
assert_eq "a young file leaves the cache alone" "same" "$(cmp -s "$cache" "$t/good-cache" && echo same || echo differs)"
{ echo '{ }:'; echo '{'; entry foo 5; entry bar 6; entry other 7; echo '}'; } >"$profiles"
assert_eq "added profile is seen" "export MICROVM_HERE_NAME=other$yes" "$(hook_in other)"
{ echo '{ }:'; echo '{'; entry foo 5; echo '}'; } >"$profiles"
touch -d '1 hour ago' "$profiles"
assert_eq "removed profile is gone" "export MICROVM_HERE_NAME=bar" "$(hook_in bar)"
assert_eq "the rest stays" "export MICROVM_HERE_NAME=foo$yes" "$(hook_in foo)"

# A parse error is reported every time, never cached away.
printf '{ foo = { ' >"$profiles"
touch -d '1 hour ago' "$profiles"
sleep 2.1
out=$(hook_in foo || true)
assert_contains "broken profiles.nix: reported" "microvm-here: hook: $profiles:1:" "$out"
out=$(hook_in foo || true)
assert_contains "broken profiles.nix: reported again" "microvm-here: hook: $profiles:1:" "$out"
assert_eq "broken profiles.nix: cache unchanged" "same" "$(cmp -s "$cache" "$t/good-cache" && echo same || echo differs)"

finish
