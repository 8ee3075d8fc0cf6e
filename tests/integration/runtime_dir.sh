#!/usr/bin/env bash
# A shared or foreign XDG_RUNTIME_DIR (README "Threat model"): used only when it and our
# microvm-here directory in it are the user's with mode 0700. In a shared one (mode 1777, as
# /tmp) another user's held lock does not block `register`, a `locks` symlink into the
# victim's own files does not get a file there overwritten, and a forged profile-names cache
# is not believed by hook-env (nor is one written there).
# labels: cli
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v flock >/dev/null || skip "flock is missing"
command -v python3 >/dev/null || skip "python3 is missing"

t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state
mkdir -p "$HOME" "$t/nix" "$t/repos/foo" "$t/repos/bar"
git -C "$t/repos/foo" init -q
git -C "$t/repos/bar" init -q
printf '{ }:\n{\n  foo = { ipAddress = "127.83.0.5"; tapId = "microvm1"; mac = "02:00:00:00:00:05"; };\n}\n' \
  >"$t/nix/profiles.nix"
printf 'nixfiles = "%s"\nprofiles = "profiles.nix"\nsubnet = "127.83.0.0/24"\n' "$t/nix" >"$t/config.toml"
export MICROVM_HERE_CONFIG=$t/config.toml
profiles=$t/nix/profiles.nix
hash=$(printf '%s' "$profiles" | sha256sum | cut -c1-16)

# A shared runtime directory, like /tmp.
shared=$t/shared
mkdir -m 1777 "$shared"
export XDG_RUNTIME_DIR=$shared

# 1. Another user holds "our" lock there.
mkdir -p "$shared/microvm-here/locks"
chmod 0777 "$shared/microvm-here" "$shared/microvm-here/locks"
touch "$shared/microvm-here/locks/profiles-$hash.lock"
exec 9<"$shared/microvm-here/locks/profiles-$hash.lock"
flock 9  # held by this shell until fd 9 is closed
run_capture timeout 60 "$MVH_BIN" register bar
assert_eq "a lock held in a shared runtime directory does not block register" "0" "$rc"
assert_not_contains "register did not wait for the other user's lock" "waiting for" "$err"

# 2. "locks" redirected into the victim's own files.
exec 9<&-
rm -rf -- "$shared/microvm-here"
mkdir -p "$shared/microvm-here" "$HOME/precious"
chmod 0777 "$shared/microvm-here"
echo "my notes" >"$HOME/precious/profiles-$hash.lock"
ln -s "$HOME/precious" "$shared/microvm-here/locks"
run_capture "$MVH_BIN" register baz
assert_eq "register with a redirected locks directory" "0" "$rc"
assert_eq "the victim's same-named file is untouched" "my notes" "$(cat "$HOME/precious/profiles-$hash.lock")"

# 3. A forged profile-names cache: it says "bar" has a profile; hook-env must read the file.
printf '{ }:\n{\n  foo = { ipAddress = "127.83.0.5"; };\n}\n' >"$profiles"
touch -d '-1 hour' "$profiles"
sleep 2.2  # the cache rule wants ctime 2 s in the past
rm -rf -- "$shared/microvm-here"
mkdir -m 0777 "$shared/microvm-here"
python3 - "$profiles" "$shared/microvm-here" <<'PY'
import os, sys
path, d = sys.argv[1], sys.argv[2]
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h
st = os.stat(path)
p = path.encode()
body = b"microvm-here profile-names 1\n" + str(len(p)).encode() + b":" + p + b"\n"
for v in (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, 2):
    body += str(v).encode() + b"\n"
for n in (b"foo", b"bar"):
    body += str(len(n)).encode() + b":" + n + b"\n"
open(os.path.join(d, "profile-names-" + fnv(p)), "wb").write(body + b"sum " + fnv(body).encode() + b"\n")
PY
out=$(cd "$t/repos/bar" && "$MVH_BIN" hook-env bash)
assert_eq "hook-env does not believe a cache in a shared runtime directory" \
  "export MICROVM_HERE_NAME=bar" "$out"
rm -f "$shared/microvm-here"/profile-names-*
(cd "$t/repos/foo" && "$MVH_BIN" hook-env bash >/dev/null)
assert_eq "hook-env writes no cache there" "" "$(find "$shared" -name 'profile-names-*')"

# 4. Another user's runtime directory (mode 0700, not ours) and a symlinked one: the same.
if [ "$(id -u)" = 0 ]; then
  mkdir -m 0700 "$t/other-run"
  chown 65534 "$t/other-run"
  out=$(cd "$t/repos/foo" && XDG_RUNTIME_DIR=$t/other-run "$MVH_BIN" hook-env bash)
  assert_eq "another user's runtime directory: the answer" \
    "export MICROVM_HERE_NAME=foo
export MICROVM_HERE_PROFILE=1" "$out"
  assert_eq "another user's runtime directory: nothing written there" "" "$(ls -A "$t/other-run")"
fi
mkdir -m 0700 "$t/mine"
ln -s "$t/mine" "$t/run-link"
(cd "$t/repos/foo" && XDG_RUNTIME_DIR=$t/run-link "$MVH_BIN" hook-env bash >/dev/null)
assert_eq "a symlinked runtime directory is not followed" "" "$(ls -A "$t/mine")"

# 5. A private one is used: the cache appears, mode 0700.
mkdir -m 0700 "$t/run"
(cd "$t/repos/foo" && XDG_RUNTIME_DIR=$t/run "$MVH_BIN" hook-env bash >/dev/null)
assert_eq "a private runtime directory holds the cache" 1 "$(find "$t/run/microvm-here" -name 'profile-names-*' | wc -l)"
assert_eq "our directory in it is 0700" 700 "$(stat -c %a "$t/run/microvm-here")"
finish
