#!/usr/bin/env bash
# register on a full disk: profiles.nix and the Home Manager directory on tiny tmpfs mounts
# (no free block, or no free inode), and a rename that fails after the temp file was written
# (profiles.nix bind-mounted onto itself). Each time: exit 3, the exact "disk full" message
# naming the path, the old file byte for byte, no temp file left; then, with space again,
# register succeeds. Runs in a private mount namespace (unshare -m), so no mount leaks.
# labels: root nix
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
if [ -z "${MVH_DISK_FULL_NS:-}" ]; then
  [ "$(id -u)" = 0 ] || skip "needs root (tmpfs mounts in a private mount namespace)"
  unshare -m --propagation private true 2>/dev/null || skip "cannot create a mount namespace here"
  MVH_DISK_FULL_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
command -v nix-instantiate >/dev/null || skip "nix-instantiate (Debian nix-bin) is not installed"

t=$(scratch_dir disk_full)
mounts=()
cleanup() {
  local m
  for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf -- "$t"
}
trap cleanup EXIT
nix=$t/nixfiles
mkdir -p "$nix/vms" "$nix/home" "$t/run" "$t/home"
chmod 700 "$t/run"  # private, as systemd makes it (README "Threat model")
export HOME=$t/home XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state
export MICROVM_HERE_CONFIG=$t/config.toml
printf 'nixfiles = "%s"\nprofiles = "vms/profiles.nix"\nvm_home_dir = "home"\n' "$nix" >"$MICROVM_HERE_CONFIG"
profiles=$nix/vms/profiles.nix
cp "$MVH_SOURCE_DIR/tests/data/host-profiles.nix" "$t/old-profiles.nix"
git -C "$nix" init -q

# on_tmpfs DIR OPTIONS: a fresh tmpfs on DIR (its previous mount, if any, removed first)
on_tmpfs() {
  umount "$1" 2>/dev/null || true
  mount -t tmpfs -o "$2,mode=755" mvh-disk-full "$1"
  mounts+=("$1")
}
# fill DIR: use up every block (a file) and then every inode (empty files) below DIR
fill_blocks() { dd if=/dev/zero of="$1/.filler" bs=4096 status=none 2>/dev/null || true; }
fill_inodes() {
  local i=0
  while touch "$1/.inode$i" 2>/dev/null; do i=$((i + 1)); done
}
listing() { (cd "$1" && find . -mindepth 1 | sort | tr '\n' ' '); }
full_msg() { echo "microvm-here: error: cannot write $1: disk full; free some space there and run again ($2)"; }

# 1. profiles.nix on a tmpfs with no free block: the temp file gets no data
on_tmpfs "$nix/vms" size=64k
cp "$t/old-profiles.nix" "$profiles"
fill_blocks "$nix/vms"
run_capture "$MVH_BIN" register vm1
assert_eq "no free block: exit 3" 3 "$rc"
assert_eq "no free block: message" "$(full_msg "$profiles" "the file is unchanged")" "$err"
assert_eq "no free block: nothing on stdout" "" "$out"
cmp -s "$t/old-profiles.nix" "$profiles" && ok "no free block: profiles.nix unchanged byte for byte" ||
  not_ok "no free block: profiles.nix unchanged byte for byte"
assert_eq "no free block: no temp file left" "./.filler ./profiles.nix " "$(listing "$nix/vms")"
# The Home Manager file comes first by design: it is there, complete, and harmless alone.
nix-instantiate --parse "$nix/home/vm1/default.nix" >/dev/null 2>&1 &&
  ok "no free block: the Home Manager file written first is complete" ||
  not_ok "no free block: the Home Manager file written first is complete"
rm "$nix/vms/.filler"
run_capture "$MVH_BIN" register vm1
assert_eq "space again: register succeeds" 0 "$rc"
assert_contains "space again: it kept the earlier Home Manager file" "kept       $nix/home/vm1/default.nix" "$out"
assert_contains "space again: vm1 is in profiles.nix" "vm1 = {" "$(cat "$profiles")"

# 2. profiles.nix on a tmpfs with no free inode: the temp file cannot be created
on_tmpfs "$nix/vms" size=1m,nr_inodes=16
cp "$t/old-profiles.nix" "$profiles"
fill_inodes "$nix/vms"
before=$(listing "$nix/vms")
run_capture "$MVH_BIN" register vm2
assert_eq "no free inode: exit 3" 3 "$rc"
assert_eq "no free inode: message" "$(full_msg "$profiles" "the file is unchanged")" "$err"
cmp -s "$t/old-profiles.nix" "$profiles" && ok "no free inode: profiles.nix unchanged byte for byte" ||
  not_ok "no free inode: profiles.nix unchanged byte for byte"
assert_eq "no free inode: no temp file left" "$before" "$(listing "$nix/vms")"

# 3. the Home Manager directory full (blocks): nothing written anywhere
on_tmpfs "$nix/vms" size=1m
cp "$t/old-profiles.nix" "$profiles"
on_tmpfs "$nix/home" size=64k
fill_blocks "$nix/home"
run_capture "$MVH_BIN" register vm3
assert_eq "Home Manager dir without a free block: exit 3" 3 "$rc"
assert_eq "Home Manager dir without a free block: message" \
  "$(full_msg "$nix/home/vm3/default.nix" "nothing was created")" "$err"
cmp -s "$t/old-profiles.nix" "$profiles" && ok "Home Manager dir full: profiles.nix unchanged" ||
  not_ok "Home Manager dir full: profiles.nix unchanged"
assert_eq "Home Manager dir full: no file left" "./.filler ./vm3 " "$(listing "$nix/home")"

# 4. the Home Manager directory without a free inode: its directory cannot be made
on_tmpfs "$nix/home" size=1m,nr_inodes=16
fill_inodes "$nix/home"
before=$(listing "$nix/home")
run_capture "$MVH_BIN" register vm4
assert_eq "Home Manager dir without a free inode: exit 3" 3 "$rc"
assert_eq "Home Manager dir without a free inode: message" \
  "microvm-here: error: cannot create directory $nix/home/vm4: disk full; free some space there and run again" "$err"
cmp -s "$t/old-profiles.nix" "$profiles" && ok "no inode for the Home Manager dir: profiles.nix unchanged" ||
  not_ok "no inode for the Home Manager dir: profiles.nix unchanged"
assert_eq "no inode for the Home Manager dir: nothing left" "$before" "$(listing "$nix/home")"
umount "$nix/home"

# 5. the temp file is written and synced, but the rename fails (profiles.nix is a mount point)
mount --bind "$profiles" "$profiles"
mounts+=("$profiles")
run_capture "$MVH_BIN" register vm5
assert_eq "failed rename: exit 3" 3 "$rc"
assert_eq "failed rename: message" \
  "microvm-here: error: cannot write $profiles: Device or resource busy (the file is unchanged); check the permissions and mounts of $nix/vms" "$err"
cmp -s "$t/old-profiles.nix" "$profiles" && ok "failed rename: profiles.nix unchanged byte for byte" ||
  not_ok "failed rename: profiles.nix unchanged byte for byte"
assert_eq "failed rename: no temp file left" "./profiles.nix " "$(listing "$nix/vms")"
umount "$profiles"
run_capture "$MVH_BIN" register vm5
assert_eq "after the mount is gone: register succeeds" 0 "$rc"
finish
