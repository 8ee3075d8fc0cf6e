#!/usr/bin/env bash
# BannerProber (through tests/tools/probe_tool) against a real OpenSSH sshd on loopback:
# started while nothing listens yet it waits and reports ready with the OpenSSH banner; a
# port without a listener is refused.
# labels: root
# timeout: 60
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  [ -f "${work:-}/sshd.log" ] && sed 's/^/  sshd: /' "$work/sshd.log" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || { echo "SKIP: running sshd needs root"; exit 77; }
[ -x /usr/sbin/sshd ] || { echo "SKIP: /usr/sbin/sshd missing (Debian package openssh-server)"; exit 77; }
tool="$MVH_TOOLS_DIR/probe_tool"
[ -x "$tool" ] || fail "$tool not built"

addr=127.83.0.31
work=$(mktemp -d "$MVH_BUILD_DIR/probe_sshd.XXXXXX")
sshd_pid=
probe_pid=
cleanup() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  if [ -n "$sshd_pid" ]; then
    kill "$sshd_pid" 2>/dev/null || true
    wait "$sshd_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -C probe-test -f "$work/hostkey"
cat >"$work/sshd_config" <<CONF
PidFile none
UsePAM no
StrictModes no
AuthorizedKeysFile none
PasswordAuthentication no
KbdInteractiveAuthentication no
CONF
# sshd's privilege-separation directory; /run is not managed by systemd here.
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd

# Start probing first, so the first attempts find nothing listening.
"$tool" "$addr" 22 15000 >"$work/probe.out" 2>"$work/probe.err" &
probe_pid=$!
sleep 0.3
/usr/sbin/sshd -D -e -f "$work/sshd_config" -p 22 -h "$work/hostkey" \
  -o ListenAddress="$addr" 2>"$work/sshd.log" &
sshd_pid=$!

rc=0
wait "$probe_pid" || rc=$?
probe_pid=
out=$(cat "$work/probe.out")
echo "probe_tool $addr 22: $out ($(cat "$work/probe.err"))"
[ "$rc" = 0 ] || fail "probe_tool exited $rc: $out"
case "$out" in
  "ready SSH-2.0-OpenSSH_"*) ;;
  *) fail "expected 'ready SSH-2.0-OpenSSH_...', got '$out'" ;;
esac
# It really waited: attempts made before sshd listened were refused.
grep -Eq 'refused=[1-9]' "$work/probe.err" || fail "no refused attempt before sshd started: $(cat "$work/probe.err")"
kill -0 "$sshd_pid" 2>/dev/null || fail "sshd is no longer running"

# A second probe against the running server: ready at once.
out=$("$tool" "$addr" 22 5000) || fail "second probe: $out"
case "$out" in "ready SSH-2.0-OpenSSH_"*) ;; *) fail "second probe: '$out'" ;; esac

# sshd listens on 22 only: port 23 of the same address refuses.
rc=0
out=$("$tool" "$addr" 23 300 2>/dev/null) || rc=$?
echo "probe_tool $addr 23: $out"
[ "$rc" = 1 ] || fail "probe of a closed port exited $rc, expected 1"
[ "$out" = "refused connection refused" ] || fail "expected 'refused connection refused', got '$out'"

echo "PASS: 3 probes against sshd on $addr"
