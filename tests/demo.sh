#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine with no NixOS: a private systemd + system bus in
# namespaces (the machine's own services and /tmp are untouched), a scratch nixfiles with a
# profiles.nix, a stand-in VM (real sshd on 127.83.0.x), and `microvm-here` run in a brand-new
# repository: registration, "rebuild", workspace link, start, wait, and a command inside the VM,
# then the second, instant run. Usage: sudo bash tests/demo.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/tests/install-deps.sh"
build=${MVH_DEMO_BUILD_DIR:-$here/build-demo}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMVH_TESTS=OFF >/dev/null
cmake --build "$build" >/dev/null
export MVH_BIN=$build/microvm-here MVH_SOURCE_DIR=$here MVH_BUILD_DIR=$build
source "$here/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_new_test_dir demo
mvh_boot
source "$here/tests/harness/sandbox.sh"
mvh_sandbox 192
repo=$(new_repo "my-project")
cd "$repo"
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
show "cd $repo && microvm-here -- sh -c ...   # first time: register, rebuild, link, start, wait, enter"
mvh -- sh -c 'echo "inside the VM as $(whoami); workspace link: $(readlink '"$MVH_TEST_DIR"'/workspaces/my-project)"'
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
