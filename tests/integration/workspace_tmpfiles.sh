#!/usr/bin/env bash
# What microvm.nix's host module does to a VM's workspace share, with the real systemd-tmpfiles:
# the fake rebuild applies its line `d <workspaces>/NAME :0775 :microvm :kvm -` (user microvm,
# group kvm in the private /etc) for every declared VM. A fresh repository is then entered by
# (1) root, (2) a user with the sudo rule (root-owned workspaces: one sudo, link+start, which
# replaces the empty directory the rebuild made) and (3) a member of the group with the
# group-writable sticky workspaces directory (links before the rebuild, so tmpfiles leaves the
# link alone; only the start goes through sudo, as no polkit runs here). The same for VMs whose
# directory tmpfiles made before microvm-here ever ran; then tmpfiles runs again ("boot") and
# every link survives. The old layout (a root-owned directory of per-repository mount points,
# one empty, one mounted) is refused with what was found and the commands to clean it up, and
# nothing changes.
# labels: root sshd nix
# timeout: 300
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
command -v /usr/bin/sudo >/dev/null || skip "sudo is not installed"
command -v systemd-tmpfiles >/dev/null || skip "systemd-tmpfiles is not installed"
mvh_new_test_dir workspace_tmpfiles
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 128 127.83.11
t=$MVH_TEST_DIR W=$t/workspaces U=$MICROVM_HERE_CONFIG P=$t/nixfiles/vms/profiles.nix
user=mvh-sudo-test member=mvh-ws-member
bin=$(realpath "$MVH_BIN")
conf=$t/tmpfiles.d/microvm.conf

sudo_setup_etc
# microvm.nix's service user and the module's group, in the private /etc only.
on_host sh -ec 'getent group kvm >/dev/null || groupadd --system kvm
  useradd --system -g kvm --home-dir /var/lib/microvms --no-create-home --shell /bin/false microvm
  groupadd --system microvm-here'
sudo_add_user "$user" "$HOME"
sudo_add_user "$member" "$HOME"
on_host usermod -aG microvm-here "$member"
muid=$(sudo_uid microvm) uid=$(sudo_uid "$user") gid=$(sudo_gid "$user")
mbuid=$(sudo_uid "$member") mbgid=$(sudo_gid "$member") mhgid=$(on_host getent group microvm-here | cut -d: -f3)
sudo_rule "$user"
# The member's rule (start only happens through sudo here) and the rebuild's activation, which
# a real `nixos-rebuild switch` also runs as root.
{
  printf '%s ALL=(root) NOPASSWD: %s __privileged *\n' "$member" "$bin"
  printf '%s, %s ALL=(root) NOPASSWD: /usr/bin/systemd-tmpfiles --create %s\n' "$user" "$member" "$conf"
} >"$t/sudoers-more"
on_host visudo -cqf "$t/sudoers-more"
on_host install -m 0440 -o root -g root "$t/sudoers-more" /etc/sudoers.d/mvh-test-more
sudo_wrapper
sudo_system_config "$U"

cp "$t/ssh/id_ed25519" "$HOME/.ssh/id_ed25519"
sed -i "s|IdentityFile .*|IdentityFile $HOME/.ssh/id_ed25519|" "$HOME/.ssh/config"
mkdir -p "$t/ssh_config.d" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" "$t/tmpfiles.d"
: >"$t/rebuild-count"
: >"$t/activation.log"
chmod 666 "$t/activation.log"
echo "$W" >"$t/tmpfiles-workspaces"
SU_ENV="MICROVM_HERE_CONFIG=$U MVH_TEST_DIR=$t MVH_STATE_DIR=$MVH_STATE_DIR NIX_REMOTE=dummy://"

# VMs declared before microvm-here ever ran: oldroot, olduser, oldmember, and old (the old layout).
cat >>"$P.new" <<EOS
{ }:

{
  seed = { ipAddress = "127.83.11.130"; tapId = "microvm1"; mac = "02:00:00:00:00:02"; };
  oldroot = { ipAddress = "127.83.11.140"; tapId = "microvm2"; mac = "02:00:00:00:00:03"; };
  olduser = { ipAddress = "127.83.11.141"; tapId = "microvm3"; mac = "02:00:00:00:00:04"; };
  oldmember = { ipAddress = "127.83.11.142"; tapId = "microvm4"; mac = "02:00:00:00:00:05"; };
  old = { ipAddress = "127.83.11.143"; tapId = "microvm5"; mac = "02:00:00:00:00:06"; };
}
EOS
mv "$P.new" "$P"
git -C "$t/nixfiles" -c user.email=t@t -c user.name=t commit -qam "declared VMs"
chmod 0755 "$W"
# The old layout for "old": a root-owned directory of per-repository mount points.
old_repo=$(new_repo old-tree)
mkdir -p "$W/old/empty-point" "$W/old/mounted-point"
on_host mount --bind "$old_repo" "$W/old/mounted-point"
# The first rebuild, as root, before microvm-here: tmpfiles makes the share directories.
run_capture on_host env MVH_TEST_DIR="$t" MVH_STATE_DIR="$MVH_STATE_DIR" \
  sh -c "cd '$t/nixfiles' && '$MVH_HARNESS/fake-rebuild.sh'"
assert_eq "the first rebuild worked" 0 "$rc"
assert_eq "tmpfiles made the share directories as microvm.nix does (and left the old one)" \
  "$W/old directory root:root 755
$W/oldmember directory microvm:kvm 775
$W/oldroot directory microvm:kvm 775
$W/olduser directory microvm:kvm 775
$W/seed directory microvm:kvm 775" "$(sort "$t/activation.log")"
: >"$t/activation.log"

# become WHO: the sandbox's files belong to the caller of the next phase.
become() {
  local u=$1 g=$2
  chown -R "$u:$g" "$HOME" "$XDG_RUNTIME_DIR" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" "$t/nixfiles" \
    "$U" "$t/ssh_config.d" "$t/rebuild-count" "$t/tmpfiles.d" "$MVH_STATE_DIR" \
    "$t/ssh/authorized_keys" "$t/ssh/sshd_config"
  chmod 700 "$XDG_RUNTIME_DIR"
}
repo_of() { new_repo "$1" >/dev/null && chown -R "$2" "$t/repos/$1" && echo "$t/repos/$1"; }
activation_of() { grep "^$W/$1 " "$t/activation.log" || echo "(no activation line for $1)"; }
link_of() { echo "$(readlink "$W/$1") $(stat -c %u "$W/$1")"; }
sudo_log_tail() { tail -n1 "$t/sudo.log"; }

# (1) root, fresh repository: linked before the rebuild, which leaves the link alone.
become 0 0
repo=$(repo_of rootnew 0)
cd "$repo"
run_capture as_user root "$bin" -- echo ok
assert_eq "(1) root: exit" 0 "$rc"
assert_eq "(1) root: in the VM" ok "$out"
assert_eq "(1) root: tmpfiles found the link" "$W/rootnew symbolic link root:root 777" "$(activation_of rootnew)"
assert_eq "(1) root: the link" "$repo 0" "$(link_of rootnew)"
# ... and a VM whose directory tmpfiles made earlier
repo=$(repo_of oldroot 0)
cd "$repo"
run_capture as_user root "$bin" -- echo ok
assert_eq "(1) root, existing directory: exit" 0 "$rc"
assert_eq "(1) root, existing directory: the link" "$repo 0" "$(link_of oldroot)"

# (2) the user with the sudo rule, root-owned workspaces: the rebuild makes microvm's empty
# directory, and the one sudo (link+start) replaces it.
become "$uid" "$gid"
repo=$(repo_of usernew "$uid:$gid")
cd "$repo"
run_capture as_user "$user" "$bin" -- echo ok
assert_eq "(2) sudo user: exit" 0 "$rc"
assert_eq "(2) sudo user: in the VM" ok "$out"
assert_eq "(2) sudo user: tmpfiles made microvm's directory" "$W/usernew directory microvm:kvm 775" "$(activation_of usernew)"
assert_eq "(2) sudo user: one sudo, link+start" "1 -- $bin __privileged link+start usernew $repo --config $U" \
  "$(wc -l <"$t/sudo.log") $(sudo_log_tail)"
assert_eq "(2) sudo user: the link is the user's" "$repo $uid" "$(link_of usernew)"
repo=$(repo_of olduser "$uid:$gid")
cd "$repo"
run_capture as_user "$user" "$bin" -- echo ok
assert_eq "(2) sudo user, existing directory: exit" 0 "$rc"
assert_eq "(2) sudo user, existing directory: link+start" "-- $bin __privileged link+start olduser $repo --config $U" "$(sudo_log_tail)"
assert_eq "(2) sudo user, existing directory: the link" "$repo $uid" "$(link_of olduser)"

# (m) the old layout: refused with what is there and how to clean up; nothing changes.
layout() { on_host sh -c "find '$W/old' -maxdepth 1 -printf '%p %y %U %m\n' | sort; grep -c ' $W/old/' /proc/self/mountinfo"; }
before=$(layout)
old_msg="workspace path $W/old is the old layout of per-repository mount points: a root-owned directory holding $W/old/empty-point (empty), $W/old/mounted-point (mounted); microvm-here now makes it a link to the repository itself, and changed nothing. Stop the VM if it runs, clean up as root with: umount $W/old/mounted-point && rmdir $W/old/empty-point $W/old/mounted-point $W/old (rmdir removes only empty directories); then run again"
repo=$(repo_of old "$uid:$gid")
cd "$repo"
run_capture as_user "$user" "$bin" -- echo ok
assert_eq "(m) sudo user: exit" 1 "$rc"
assert_contains "(m) sudo user: the step says what it found" "microvm-here: error: $old_msg" "$err"
assert_eq "(m) sudo user: link+start was asked" "-- $bin __privileged link+start old $repo --config $U" "$(sudo_log_tail)"
run_capture as_user root "$bin" -- echo ok
assert_eq "(m) root: exit" 1 "$rc"
assert_eq "(m) root: the message" "microvm-here: error: $old_msg" "$err"
assert_eq "(m) nothing changed" "$before" "$(layout)"
assert_eq "(m) the mounted tree is still there" "$old_repo/.git" "$(on_host sh -c "ls -d '$W/old/mounted-point/.git' | sed 's|$W/old/mounted-point|$old_repo|'")"
on_host systemctl stop microvm@old.service 2>/dev/null || true

# (3) a member of the group, root:microvm-here 1775 workspaces: links before the rebuild itself.
chgrp "$mhgid" "$W" && chmod 1775 "$W"
become "$mbuid" "$mbgid"
repo=$(repo_of membernew "$mbuid:$mbgid")
cd "$repo"
run_capture as_user "$member" "$bin" -- echo ok
assert_eq "(3) member: exit" 0 "$rc"
assert_eq "(3) member: in the VM" ok "$out"
assert_eq "(3) member: tmpfiles found the link" "$W/membernew symbolic link $member:$member 777" "$(activation_of membernew)"
assert_eq "(3) member: only the start through sudo" "-- $bin __privileged start membernew --config $U" "$(sudo_log_tail)"
assert_eq "(3) member: the member made the link" "$repo $mbuid" "$(link_of membernew)"
# microvm's directory in the sticky directory: only root may replace it, so link+start by sudo.
repo=$(repo_of oldmember "$mbuid:$mbgid")
cd "$repo"
run_capture as_user "$member" "$bin" -- echo ok
assert_eq "(3) member, existing directory: exit" 0 "$rc"
assert_contains "(3) member, existing directory: says why sudo" "microvm-here: asking sudo to link and start oldmember: $W/oldmember belongs to uid $muid, and in the sticky $W only its owner or root may replace it (sudo may ask for your password)" "$err"
assert_eq "(3) member, existing directory: link+start" "-- $bin __privileged link+start oldmember $repo --config $U" "$(sudo_log_tail)"
assert_eq "(3) member, existing directory: the link" "$repo $mbuid" "$(link_of oldmember)"

# "Boot": tmpfiles runs again and leaves every link alone.
links() { for n in rootnew oldroot usernew olduser membernew oldmember; do echo "$n $(link_of "$n")"; done; }
before=$(links)
run_capture on_host systemd-tmpfiles --create "$conf"
assert_eq "(boot) tmpfiles exit" 0 "$rc"
assert_contains "(boot) tmpfiles leaves a link alone" "\"$W/membernew\" already exists and is not a directory." "$err"
assert_eq "(boot) every link survives" "$before" "$(links)"

on_host systemctl stop microvm@rootnew.service microvm@oldroot.service microvm@usernew.service \
  microvm@olduser.service microvm@membernew.service microvm@oldmember.service
finish
