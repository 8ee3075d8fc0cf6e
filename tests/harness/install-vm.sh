#!/bin/bash
# install-vm.sh STATE_DIR NAME BEHAVIOUR IP [DELAY]
# Installs a stand-in VM the way a rebuild does: writes a new runner generation
# STATE_DIR/NAME/gen-N/bin/microvm-run (exec'ing standin-vm.sh BEHAVIOUR IP DELAY) and points
# STATE_DIR/NAME/current at it. A running VM keeps its old runner until restarted, so
# STATE_DIR/NAME/booted != current shows it is stale, as on a real host.
# Needs MVH_TEST_DIR (the test directory; ssh keys are created there on first use).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 STATE_DIR NAME BEHAVIOUR IP [DELAY]" >&2; exit 2; }
state=$(realpath "$1") name=$2 behaviour=$3 ip=$4 delay=${5:-0}
test_dir=$(realpath "${MVH_TEST_DIR:?MVH_TEST_DIR must name the test directory}")
here=$(dirname "$(realpath "$0")")
"$here/ssh-setup.sh" "$test_dir"
mkdir -p "$state/$name"
n=1
while [ -e "$state/$name/gen-$n" ]; do n=$((n + 1)); done
mkdir -p "$state/$name/gen-$n/bin"
run=$state/$name/gen-$n/bin/microvm-run
# The qemu behaviours boot the guest built by tests/guest/build.sh. The unit runs without $HOME
# (and the sandbox's HOME is not the build's), so the cache directory is fixed here.
guest_env=()
case $behaviour in
  qemu | qemu-panic)
    home=$(getent passwd "$(id -u)" | cut -d: -f6)
    guest_env=("MVH_GUEST_CACHE=${MVH_GUEST_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/microvm-here/guest}")
    ;;
esac
{
  echo '#!/bin/bash'
  printf 'exec env MVH_TEST_DIR=%q MVH_VM_NAME=%q' "$test_dir" "$name"
  [ ${#guest_env[@]} -eq 0 ] || printf ' %q' "${guest_env[@]}"
  printf ' %q %q %q %q\n' "$here/standin-vm.sh" "$behaviour" "$ip" "$delay"
} >"$run"
chmod 755 "$run"
ln -sfnT "gen-$n" "$state/$name/current"
