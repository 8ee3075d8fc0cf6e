# Sourced by tests and scripts that run the real test guest (tests/guest) under the private
# systemd, through the harness's `qemu` behaviour. See README.md here.
#   mvh_guest_build            run tests/guest/build.sh (its log on stderr); sets
#                              MVH_GUEST_BUILT (the build) and MVH_GUEST_RELEASE; returns 77
#                              with the reason in MVH_GUEST_WHY when the guest cannot be built
#   mvh_guest_use              (after mvh_new_test_dir) hard-link the build into
#                              $MVH_TEST_DIR/guest and export MVH_GUEST_CACHE there, so a
#                              concurrent `build.sh --force` cannot swap keys under this test
#   mvh_guest_sandbox          (after mvh_sandbox) pin the guest's host key for 127.83.*.*, log in
#                              with its client key, boot_timeout = 90
#   mvh_ssh_stamped            make microvm-here exec $MVH_TEST_DIR/bin/ssh-stamped, which
#                              appends "<CLOCK_REALTIME> <args>" to $MVH_TEST_DIR/ssh-exec.log
#                              and execs ssh
#   mvh_guest_launch_time UNIT CLOCK_REALTIME of the unit's ExecMainStart (its current run)

mvh_guest_build() {
  local tmp rc
  tmp=$(mktemp -d)
  # build.sh's log goes to our stderr as it happens (a first build takes several seconds).
  bash "$MVH_SOURCE_DIR/tests/guest/build.sh" 2>&1 >"$tmp/out" | tee "$tmp/err" >&2
  rc=${PIPESTATUS[0]}
  MVH_GUEST_BUILT=$(cat "$tmp/out")
  MVH_GUEST_WHY=$(grep -m1 '^cannot build the test guest: ' "$tmp/err" || true)
  rm -rf "$tmp"
  if [ "$rc" = 77 ]; then
    MVH_GUEST_WHY=${MVH_GUEST_WHY:-cannot build the test guest: build.sh exited 77}
    return 77
  fi
  if [ "$rc" != 0 ]; then
    MVH_GUEST_WHY="tests/guest/build.sh failed with exit code $rc"
    return "$rc"
  fi
  MVH_GUEST_RELEASE=$(sed -n 's/^kernel_release=//p' "$MVH_GUEST_BUILT/manifest")
  export MVH_GUEST_BUILT MVH_GUEST_RELEASE
}

mvh_guest_use() {
  local snap=$MVH_TEST_DIR/guest/current
  mkdir -p "$MVH_TEST_DIR/guest"
  cp -al "$MVH_GUEST_BUILT" "$snap" 2>/dev/null || cp -a "$MVH_GUEST_BUILT" "$snap"
  export MVH_GUEST_CACHE=$MVH_TEST_DIR/guest
}

mvh_guest_sandbox() {
  local t=$MVH_TEST_DIR g=$MVH_TEST_DIR/guest/current
  printf '127.83.*.* %s\n' "$(cat "$g/host_key.pub")" >"$t/ssh/known_hosts"
  sed -i "s|^  IdentityFile .*|  IdentityFile $g/client_key|" "$HOME/.ssh/config"
  sed -i 's|^boot_timeout = .*|boot_timeout = 90|' "$MICROVM_HERE_CONFIG"
}

mvh_ssh_stamped() {
  local t=$MVH_TEST_DIR
  mkdir -p "$t/bin"
  # EPOCHREALTIME: no fork between the exec and the stamp (bash's own start costs ~1-2 ms).
  cat >"$t/bin/ssh-stamped" <<EOS
#!/bin/bash
echo "\$EPOCHREALTIME \$*" >>$t/ssh-exec.log
exec ssh "\$@"
EOS
  chmod 755 "$t/bin/ssh-stamped"
  sed -i "s|^ssh = \[\"ssh\",|ssh = [\"$t/bin/ssh-stamped\",|" "$MICROVM_HERE_CONFIG"
}

mvh_guest_launch_time() {
  local mono
  mono=$(on_host systemctl show -P ExecMainStartTimestampMonotonic "$1")
  python3 -c 'import sys, time; print("%.6f" % (int(sys.argv[1]) / 1e6 + time.time() - time.monotonic()))' "$mono"
}
