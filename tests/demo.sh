#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine with no NixOS: a private systemd + system bus in
# namespaces (the machine's own services and /tmp are untouched), a scratch nixfiles with a
# profiles.nix, a real microVM (qemu -M microvm booting Debian's cloud kernel with a busybox +
# dropbear initramfs, tests/guest) or, when that guest cannot be built here, a stand-in VM (real
# sshd on 127.83.0.x), and `microvm-here` run in a brand-new repository: registration,
# "rebuild", workspace link, start, boot, wait, and a command inside the VM, then the second,
# instant run. Usage: sudo bash tests/demo.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/tests/install-deps.sh"
build=${MVH_DEMO_BUILD_DIR:-$here/build-demo}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMVH_TESTS=OFF >/dev/null
cmake --build "$build" >/dev/null
export MVH_BIN=$build/microvm-here MVH_SOURCE_DIR=$here MVH_BUILD_DIR=$build
source "$here/tests/harness/lib.sh"
source "$here/tests/harness/guest.sh"
mvh_require_private_systemd
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
note() { printf '\033[1m# %s\033[0m\n' "$*"; }
guest=0
show "tests/guest/build.sh   # the real guest: Debian's cloud kernel + busybox + dropbear (cached)"
if ! command -v qemu-system-x86_64 >/dev/null; then
  note "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
elif mvh_guest_build; then
  guest=1
  echo "$MVH_GUEST_BUILT"
fi
if [ "$guest" = 1 ]; then
  note "the VM will be a real microVM: qemu -M microvm booting kernel $MVH_GUEST_RELEASE"
else
  note "cannot boot the real guest here${MVH_GUEST_WHY:+ ($MVH_GUEST_WHY)}."
  note "Falling back to the stand-in VM: a real sshd on 127.83.0.x, so no kernel of its own;"
  note "uname -r inside will print the host's kernel."
fi
mvh_new_test_dir demo
[ "$guest" = 1 ] && mvh_guest_use
mvh_boot
source "$here/tests/harness/sandbox.sh"
mvh_sandbox 192
repo=$(new_repo "my-project")
if [ "$guest" = 1 ]; then
  mvh_guest_sandbox
  echo qemu >"$MVH_TEST_DIR/behaviour/my-project"
fi
cd "$repo"
show "uname -r   # on this machine"
uname -r
show "cd $repo && microvm-here -- sh -c ...   # first time: register, rebuild, link, start, boot, wait, enter"
mvh -- sh -c 'echo "inside the VM $(hostname) as $(whoami): kernel $(uname -r)"'
show "journalctl -u microvm@my-project   # what the VM printed while it booted"
on_host journalctl -u microvm@my-project.service --no-pager -o short |
  grep -v 'Child connection\|Exit before auth' | tail -n 12 || true
show "readlink $MVH_TEST_DIR/workspaces/my-project   # the workspace link it made"
readlink "$MVH_TEST_DIR/workspaces/my-project"
show "microvm-here -- printf '%s\\n' 'a b' '\$HOME'   # arguments keep their boundaries"
mvh -- printf '%s\n' 'a b' '$HOME'
show "microvm-here -v -- true   # second time: already running, straight to ssh"
mvh -v -- true
show "microvm-here status"
mvh status
show "microvm-here list"
mvh list
show "microvm-here stop"
mvh stop
echo
echo "demo done; everything ran in a private systemd that is now stopped."
