# Sourced by tests/integration/*.sh that need a private systemd. See README.md here.
#   mvh_require_private_systemd   exit 77 (skip) unless root with namespaces and systemd 252
#   mvh_new_test_dir NAME         export MVH_TEST_DIR=$MVH_BUILD_DIR/test-work/NAME.XXXXXX
#                                 (+ MVH_UNIT_DIR, MVH_STATE_DIR) and fill the unit dir
#   mvh_boot                      boot the private systemd (MVH_SD_PID); cleanup on exit
#   on_host CMD...                run CMD inside it (nsenter -t MVH_SD_PID -m -p)
#   wait_until SECONDS CMD...     poll CMD every 0.1 s until it succeeds; fail after SECONDS
# The cleanup (trap on EXIT/INT/TERM) kills the private systemd by pid and removes the test
# dir, which is kept when the test failed or MVH_KEEP_TEST_DIR=1.

MVH_HARNESS=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
MVH_SD_PID=

mvh_skip() {
  echo "SKIPPED: $*"
  exit 77
}

mvh_require_private_systemd() {
  [ "$(id -u)" = 0 ] || mvh_skip "needs root (to boot systemd in private namespaces)"
  local c
  for c in unshare nsenter setpriv ssh-keygen /lib/systemd/systemd /usr/bin/dbus-daemon /usr/sbin/sshd; do
    command -v "$c" >/dev/null || mvh_skip "$c is not installed"
  done
  unshare --fork --pid --mount --mount-proc true 2>/dev/null ||
    mvh_skip "cannot create PID and mount namespaces here (unshare failed)"
  : "${MVH_BUILD_DIR:?MVH_BUILD_DIR must be set (ctest sets it)}"
  case "$(realpath "$MVH_BUILD_DIR")/" in
    /run/*)
      echo "FAIL: MVH_BUILD_DIR=$MVH_BUILD_DIR is hidden inside the private systemd's /run; build elsewhere" >&2
      exit 1
      ;;
  esac
  # A checkout or build under /tmp stays visible inside (private-systemd.sh binds it back).
  export MVH_KEEP_PATHS="$(realpath "$MVH_BUILD_DIR") $(realpath "${MVH_SOURCE_DIR:-$MVH_BUILD_DIR}")${MVH_GUEST_CACHE:+ $MVH_GUEST_CACHE}"
}

mvh_new_test_dir() {
  mkdir -p "$MVH_BUILD_DIR/test-work"
  MVH_TEST_DIR=$(mktemp -d "$(realpath "$MVH_BUILD_DIR")/test-work/$1.XXXXXX")
  chmod 755 "$MVH_TEST_DIR" # the stand-ins' sshd and unprivileged test users read below it
  MVH_UNIT_DIR=$MVH_TEST_DIR/units MVH_STATE_DIR=$MVH_TEST_DIR/microvms
  export MVH_TEST_DIR MVH_UNIT_DIR MVH_STATE_DIR
  "$MVH_HARNESS/make-unitdir.sh" "$MVH_UNIT_DIR" "$MVH_STATE_DIR"
  "$MVH_HARNESS/ssh-setup.sh" "$MVH_TEST_DIR"
  trap 'mvh_cleanup $?' EXIT
  trap 'exit 130' INT TERM
}

mvh_boot() {
  MVH_SD_PID=$("$MVH_HARNESS/private-systemd.sh" "$MVH_UNIT_DIR" "$MVH_TEST_DIR")
  export MVH_SD_PID
}

on_host() {
  nsenter -t "$MVH_SD_PID" -m -p "$@"
}

wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.1
  done
}

mvh_cleanup() {
  local rc=$1
  trap - EXIT
  if [ -n "$MVH_SD_PID" ]; then
    "$MVH_HARNESS/stop-private-systemd.sh" "$MVH_SD_PID" "$MVH_TEST_DIR"
  fi
  if [ "$rc" = 0 ] && [ "${MVH_KEEP_TEST_DIR:-0}" != 1 ]; then
    rm -rf "$MVH_TEST_DIR"
  else
    echo "test dir kept: $MVH_TEST_DIR (private systemd log: private-systemd.log)"
  fi
  exit "$rc"
}

# mvh_require_reachable_by_others: skip (77) when an unprivileged user cannot reach the binary
# and this source tree, e.g. a checkout in a `mktemp -d` directory (0700); tests/run.sh opens
# such directories while the suite runs. Read access counts too: inside the private systemd's
# namespace getcwd() walks the parent directories by hand.
mvh_require_reachable_by_others() {
  local p
  for p in "$MVH_BIN" "$MVH_SOURCE_DIR/tests/harness/fake-rebuild.sh"; do
    if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$p"; then
      echo "SKIP: an unprivileged user cannot reach $p; run the suite with tests/run.sh, which opens the directories above it while it runs"
      exit 77
    fi
  done
  p=$(realpath "$MVH_BUILD_DIR")
  while [ "$p" != / ]; do
    if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$p" -a -x "$p"; then
      echo "SKIP: an unprivileged user cannot read $p (mode $(stat -c %a "$p")); run the suite with tests/run.sh, which opens it while it runs"
      exit 77
    fi
    p=$(dirname "$p")
  done
}
