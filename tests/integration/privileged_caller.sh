#!/usr/bin/env bash
# Whom the privileged step acts for. It links a workspace for, and reads the files of, the user
# its elevator names: sudo (SUDO_UID; run0 sets the same), doas (DOAS_USER), pkexec
# (PKEXEC_UID), each tested here for real with an unprivileged user and a rule for
# "microvm-here __privileged"; root without an elevator must say whom with --caller USER
# (--caller root for itself). Without any of them (root's `env -i`, a root script) it refuses;
# when two disagree (doas's keepenv passing the user's own SUDO_UID on, or --caller root
# through sudo) it refuses; a malformed or unknown one is refused. Every link made is owned
# by the user it was made for.
# labels: root
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
for c in /usr/bin/sudo /usr/bin/doas /usr/bin/pkexec /usr/lib/polkit-1/polkitd; do
  command -v "$c" >/dev/null || skip "$c is not installed (Debian: sudo, doas, pkexec, polkitd)"
done
mvh_new_test_dir privileged_caller
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 192 127.83.12
t=$MVH_TEST_DIR W=$t/workspaces U=$MICROVM_HERE_CONFIG
user=mvh-sudo-test other=mvh-sudo-other
bin=$(realpath "$MVH_BIN")

sudo_setup_etc
sudo_add_user "$user" "$HOME"
sudo_add_user "$other" "$t/home-other"
uid=$(sudo_uid "$user") gid=$(sudo_gid "$user") ouid=$(sudo_uid "$other")
sudo_rule "$user"
sudo_system_config "$U"
# doas: keepenv, so that the user's own variables reach the step too.
printf 'permit nopass keepenv %s as root cmd %s\n' "$user" "$bin" >"$t/doas.conf"
on_host install -m 0400 -o root -g root "$t/doas.conf" /etc/doas.conf
# pkexec: polkitd on the private bus with a rule that lets the user run programs as root.
printf 'polkit.addRule(function (action, subject) {\n  if (action.id === "org.freedesktop.policykit.exec" && subject.user === "%s") return polkit.Result.YES;\n});\n' \
  "$user" >"$t/pkexec.rules"
on_host install -D -m 0644 "$t/pkexec.rules" /etc/polkit-1/rules.d/50-mvh-test.rules
on_host systemd-run -q --unit=mvh-polkitd -p Type=dbus -p BusName=org.freedesktop.PolicyKit1 \
  /usr/lib/polkit-1/polkitd --no-debug

{
  echo '{ }: {'
  n=3
  for name in viasudo viadoas viapkexec forroot foruser; do
    printf '  %s = { ipAddress = "127.83.12.%d"; tapId = "microvm%d"; mac = "02:00:00:00:0c:%02x"; };\n' \
      "$name" $((192 + n)) "$n" "$n"
    n=$((n + 1))
  done
  echo '}'
} >"$t/nixfiles/vms/profiles.nix"
for name in viasudo viadoas viapkexec forroot foruser; do
  "$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" "$name" hang 127.83.12.250 >/dev/null
done
R=$(new_repo proj)
chown -R "$uid:$gid" "$HOME" "$t/repos" "$U"
mkdir "$t/rootdir"
chmod 0755 "$W"
how="microvm-here runs this step itself through sudo; run microvm-here without __privileged"

# link_made NAME OWNER TARGET: $W/NAME is a symlink owned by OWNER pointing at TARGET.
link_made() {
  assert_eq "$1: linked for uid $2" "$2 -> $3" "$(stat -c %u "$W/$1" 2>&1) -> $(readlink "$W/$1")"
}
# refused WHAT EXIT MESSAGE: the last call exited EXIT with exactly that error and linked nothing.
refused() {
  assert_eq "$1: exit $2" "$2" "$rc"
  assert_eq "$1: message" "microvm-here: error: $3" "$err"
  assert_eq "$1: nothing linked" "" "$(find "$W" -mindepth 1 -newer "$t/mark")"
}

# The supported elevators, for real.
run_capture as_user "$user" sudo -n "$bin" __privileged link viasudo "$R" --config "$U"
assert_eq "sudo: exit 0, silent" "0 " "$rc $err"
link_made viasudo "$uid" "$R"
run_capture as_user "$user" doas -n "$bin" __privileged link viadoas "$R" --config "$U"
assert_eq "doas: exit 0, silent" "0 " "$rc $err"
link_made viadoas "$uid" "$R"
rm -f "$W/viadoas"
SU_ENV="DOAS_USER=$other" run_capture as_user "$user" doas -n "$bin" __privileged link viadoas "$R" --config "$U"
assert_eq "doas, the user's own DOAS_USER=$other kept: exit 0, silent" "0 " "$rc $err"
link_made viadoas "$uid" "$R"
# (pkexec asks polkit about its parent, which must be inside the private PID namespace: a shell)
run_capture as_user "$user" sh -c '"$@"; exit $?' sh pkexec "$bin" __privileged link viapkexec "$R" --config "$U"
assert_eq "pkexec: exit 0, silent" "0 " "$rc $err"
link_made viapkexec "$uid" "$R"

# Root, saying whom it acts for.
run_capture on_host env -i "$bin" __privileged link foruser "$R" --config "$U" --caller "$user"
assert_eq "root with --caller $user: exit 0, silent" "0 " "$rc $err"
link_made foruser "$uid" "$R"
run_capture on_host env -i "$bin" __privileged link forroot "$t/rootdir" --config "$U" --caller root
assert_eq "root with --caller root: exit 0, silent" "0 " "$rc $err"
link_made forroot 0 "$t/rootdir"
rm -f "$W/forroot"

# Refusals.
touch "$t/mark"
sleep 0.01
run_capture on_host env -i "$bin" __privileged link forroot "$t/rootdir" --config "$U"
refused "root without an elevator or --caller" 2 "__privileged does not know whom it acts for: none of SUDO_UID (set by sudo and run0), DOAS_USER (doas) or PKEXEC_UID (pkexec) is set and no --caller was given; $how, or as root name the user: --caller USER (--caller root for root)"
run_capture on_host env -i "$bin" __privileged start forroot --config "$U"
refused "root without an elevator or --caller, start" 2 "__privileged does not know whom it acts for: none of SUDO_UID (set by sudo and run0), DOAS_USER (doas) or PKEXEC_UID (pkexec) is set and no --caller was given; $how, or as root name the user: --caller USER (--caller root for root)"
assert_eq "root without an elevator: nothing started" inactive "$(on_host systemctl is-active microvm@forroot.service || true)"
run_capture as_user "$user" sudo -n "$bin" __privileged link forroot "$t/rootdir" --config "$U" --caller root
refused "sudo with --caller root" 2 "__privileged was told of two callers: --caller says uid 0 (root), SUDO_UID says uid $uid ($user); it acts for one user only ($how)"
SU_ENV="SUDO_UID=$ouid" run_capture as_user "$user" doas -n "$bin" __privileged link forroot "$R" --config "$U"
refused "doas with the user's own SUDO_UID=$ouid kept" 2 "__privileged was told of two callers: SUDO_UID says uid $ouid ($other), DOAS_USER says uid $uid ($user); it acts for one user only ($how)"
run_capture on_host env -i "$bin" __privileged link forroot "$R" --config "$U" --caller no-such-user
refused "--caller naming nobody" 2 "--caller is 'no-such-user', which names no user on this host; the privileged step acts only for a known caller ($how)"
run_capture on_host env -i DOAS_USER=no-such-user "$bin" __privileged link forroot "$R" --config "$U"
refused "DOAS_USER naming nobody" 2 "DOAS_USER is 'no-such-user', which names no user on this host; the privileged step acts only for a known caller ($how)"
run_capture on_host env -i SUDO_UID=abc "$bin" __privileged link forroot "$R" --config "$U"
refused "SUDO_UID not a number" 2 "SUDO_UID is 'abc', which is not a uid; the privileged step acts only for a known caller ($how)"
run_capture on_host env -i SUDO_UID= "$bin" __privileged link forroot "$R" --config "$U"
refused "SUDO_UID empty" 2 "SUDO_UID is '', which is not a uid; the privileged step acts only for a known caller ($how)"
run_capture on_host env -i PKEXEC_UID=-1 "$bin" __privileged link forroot "$R" --config "$U"
refused "PKEXEC_UID negative" 2 "PKEXEC_UID is '-1', which is not a uid; the privileged step acts only for a known caller ($how)"

on_host systemctl stop mvh-polkitd.service
finish
