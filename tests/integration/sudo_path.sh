#!/usr/bin/env bash
# The privileged step as a real unprivileged user with a real sudo rule (only
# "microvm-here __privileged *", NOPASSWD), inside the private systemd where no polkit answers:
# (a) create-and-enter from a fresh repository with a root-owned workspaces directory: ONE sudo,
#     `link+start`; (c) again with the VM up: no sudo; (b) a group-writable sticky workspaces
#     directory (as the NixOS module makes): the user links, only `sudo ... start`;
# (d) --restart of a running VM: `sudo ... restart` (a start would be a no-op); (e) polkit
# running without an agent: InteractiveAuthorizationRequired, also sudo. Registration and
# the rebuild run as the user, in the user's nixfiles.
# labels: root sshd nix
# timeout: 300
# (Commands are never exactly "$MVH_BIN -- true": up_flow.sh interrupts that by pgrep.)
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
command -v /usr/bin/sudo >/dev/null || skip "sudo is not installed"
mvh_new_test_dir sudo_path
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 128 127.83.3
t=$MVH_TEST_DIR
user=mvh-sudo-test
bin=$(realpath "$MVH_BIN")

sudo_setup_etc
sudo_add_user "$user" "$HOME"
uid=$(sudo_uid "$user") gid=$(sudo_gid "$user")
sudo_rule "$user"
sudo_wrapper
# The system configuration: where the privileged step links and what it starts.
sudo_system_config "$MICROVM_HERE_CONFIG"

# The user's own files: config, nixfiles, ssh client key and config, XDG dirs, the rebuild's
# state (the stand-in "rebuild" installs runners as the user here).
cp "$t/ssh/id_ed25519" "$HOME/.ssh/id_ed25519"
sed -i "s|IdentityFile .*|IdentityFile $HOME/.ssh/id_ed25519|" "$HOME/.ssh/config"
mkdir -p "$t/ssh_config.d" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
: >"$t/rebuild-count"
chmod 700 "$XDG_RUNTIME_DIR"
chown -R "$uid:$gid" "$HOME" "$XDG_RUNTIME_DIR" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" \
  "$t/nixfiles" "$t/repos" "$MICROVM_HERE_CONFIG" "$t/ssh_config.d" "$t/rebuild-count" \
  "$MVH_STATE_DIR" "$t/ssh/authorized_keys" "$t/ssh/sshd_config" # install-vm.sh rewrites these
chmod 0755 "$t/workspaces" # root-owned: the user cannot link there without sudo
# Debian's single-user Nix wants to chmod /nix/var as any user; the user evaluates without a store.
SU_ENV="MICROVM_HERE_CONFIG=$MICROVM_HERE_CONFIG MVH_TEST_DIR=$t MVH_STATE_DIR=$MVH_STATE_DIR NIX_REMOTE=dummy://"

repo_as_user() { new_repo "$1" >/dev/null && chown -R "$uid:$gid" "$t/repos/$1" && echo "$t/repos/$1"; }
sudo_calls() { wc -l <"$t/sudo.log"; }

# The bus's answer to an unprivileged StartUnit without polkit, seen directly.
run_capture as_user "$user" "$MVH_TOOLS_DIR/units_tool" start microvm@seed.service
assert_eq "unprivileged StartUnit is refused" 10 "$rc"
assert_eq "without polkit the bus answers AccessDenied" "access denied: Permission denied" "$out"
assert_contains "the error is org.freedesktop.DBus.Error.AccessDenied" "Error org.freedesktop.DBus.Error.AccessDenied" \
  "$(as_user "$user" dbus-send --system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 \
    org.freedesktop.systemd1.Manager.StartUnit string:microvm@seed.service string:replace 2>&1)"

# (a) create and enter: one sudo, link+start
repo=$(repo_as_user alpha)
cd "$repo"
run_capture as_user "$user" "$MVH_BIN" -v -- sh -c 'echo "in the VM as $(id -un)"'
assert_eq "(a) create-and-enter exit" 0 "$rc"
assert_eq "(a) the command ran in the VM" "in the VM as root" "$out"
assert_contains "(a) registered as the user" "microvm-here: no profile for 'alpha' yet: registering it" "$err"
assert_eq "(a) one rebuild, as the user" 1 "$(cat "$t/rebuild-count")"
assert_eq "(a) exactly one sudo" 1 "$(sudo_calls)"
assert_eq "(a) it was link+start" \
  "-- $bin __privileged link+start alpha $repo --config $MICROVM_HERE_CONFIG" "$(cat "$t/sudo.log")"
assert_contains "(a) says why sudo" "microvm-here: asking sudo to link and start alpha: $t/workspaces is not writable by you (sudo may ask for your password)" "$err"
assert_eq "(a) link points at the repo" "$repo" "$(readlink "$t/workspaces/alpha")"
assert_eq "(a) link belongs to the user" "$uid" "$(stat -c %u "$t/workspaces/alpha")"
assert_eq "(a) unit active" active "$(on_host systemctl is-active microvm@alpha.service || true)"
assert_eq "(a) profiles.nix still the user's" "$uid" "$(stat -c %u "$t/nixfiles/vms/profiles.nix")"

# (c) the VM is up: no sudo at all
run_capture as_user "$user" "$MVH_BIN" -- echo ok
assert_eq "(c) second run exit" 0 "$rc"
assert_eq "(c) the command ran" ok "$out"
assert_eq "(c) no sudo the second time" 1 "$(sudo_calls)"
assert_not_contains "(c) no start" "starting microvm@alpha" "$err"

# (b) workspaces writable by the user (root:group 1775, as the NixOS module makes): the user
# links; only the start needs sudo.
chgrp "$gid" "$t/workspaces" && chmod 1775 "$t/workspaces"
repo=$(repo_as_user bravo)
cd "$repo"
run_capture as_user "$user" "$MVH_BIN" -vv -- true
assert_eq "(b) exit" 0 "$rc"
assert_eq "(b) one more sudo" 2 "$(sudo_calls)"
assert_eq "(b) only start" "-- $bin __privileged start bravo --config $MICROVM_HERE_CONFIG" "$(tail -n1 "$t/sudo.log")"
assert_contains "(b) says why sudo" "microvm-here: asking sudo to start bravo: systemd refused it (Permission denied) (sudo may ask for your password)" "$err"
assert_eq "(b) the user made the link" "$uid" "$(stat -c %u "$t/workspaces/bravo")"
assert_eq "(b) link points at the repo" "$repo" "$(readlink "$t/workspaces/bravo")"

# (d) --restart of the running VM through sudo: a restart, not a no-op start
before=$(on_host systemctl show -P InvocationID microvm@bravo.service)
run_capture as_user "$user" "$MVH_BIN" --restart -- true
assert_eq "(d) restart exit" 0 "$rc"
assert_eq "(d) only restart" "-- $bin __privileged restart bravo --config $MICROVM_HERE_CONFIG" "$(tail -n1 "$t/sudo.log")"
after=$(on_host systemctl show -P InvocationID microvm@bravo.service)
[ -n "$after" ] && [ "$before" != "$after" ] && ok "(d) the VM really restarted" || not_ok "(d) the VM really restarted ($before -> $after)"

assert_contains "(d) says restarting" "microvm-here: restarting microvm@bravo.service" "$err"

# (e) with polkit running but no agent (a desktop without the module): the bus answers
# InteractiveAuthorizationRequired, which also leads to sudo.
on_host systemd-run -q --unit=mvh-polkitd -p Type=dbus -p BusName=org.freedesktop.PolicyKit1 \
  /usr/lib/polkit-1/polkitd --no-debug
run_capture as_user "$user" "$MVH_TOOLS_DIR/units_tool" start microvm@seed.service
assert_eq "(e) StartUnit refused with polkit" 10 "$rc"
assert_eq "(e) polkit asks for interactive authentication" "access denied: Interactive authentication required." "$out"
repo=$(repo_as_user charlie)
cd "$repo"
run_capture as_user "$user" "$MVH_BIN" -- echo ok
assert_eq "(e) exit" 0 "$rc"
assert_eq "(e) the command ran" ok "$out"
assert_eq "(e) only start" "-- $bin __privileged start charlie --config $MICROVM_HERE_CONFIG" "$(tail -n1 "$t/sudo.log")"
assert_contains "(e) says why sudo" "microvm-here: asking sudo to start charlie: systemd refused it (Interactive authentication required.)" "$err"
assert_eq "(e) four sudo runs in all" 4 "$(sudo_calls)"

on_host systemctl stop microvm@alpha.service microvm@bravo.service microvm@charlie.service mvh-polkitd.service
finish
