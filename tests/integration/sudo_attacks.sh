#!/usr/bin/env bash
# The privileged step under attack: an unprivileged user with a real sudo rule for
# "microvm-here __privileged *" (and, as a careless admin might write, env_keep of
# MICROVM_HERE_CONFIG and MICROVM_HERE_SYSTEM_CONFIG, which the step ignores) calls it with
# hostile names, targets, configurations and workspace entries. Each attack must be refused
# with its exact message and exit code; afterwards nothing outside <workspaces>/ has changed, and <workspaces>/ holds only
# what the allowed calls made. Allowed (and checked to work, so the refusals mean something):
# linking a registered, installed name to a directory the user owns; replacing a root-owned
# symlink (left by the old script's sudo ln) that points at the user's own directory — never
# following it; starting the VM. A root-owned link to anything else is refused, and so is one
# whose target was removed and then staged by the user in a directory others may write (a
# directory of theirs, or a symlink to their repository).
# labels: root
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
command -v /usr/bin/sudo >/dev/null || skip "sudo is not installed"
mvh_new_test_dir sudo_attacks
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 192 127.83.3
t=$MVH_TEST_DIR W=$t/workspaces P=$t/nixfiles/vms/profiles.nix U=$MICROVM_HERE_CONFIG
user=mvh-sudo-test other=mvh-sudo-other
bin=$(realpath "$MVH_BIN")

sudo_setup_etc
sudo_add_user "$user" "$HOME"
sudo_add_user "$other" "$t/home-other"
uid=$(sudo_uid "$user") gid=$(sudo_gid "$user") ouid=$(sudo_uid "$other")
sudo_rule "$user" 'env_keep += "MICROVM_HERE_CONFIG MICROVM_HERE_SYSTEM_CONFIG"'
sudo_system_config "$U"

# Registered: good, keepdir, keepfile, planted, otherlink (installed) and notinst (not).
{
  echo '{ }:'
  echo '{'
  n=3
  for name in good keepdir keepfile planted otherlink legacy stagedir stagelink notinst; do
    printf '  %s = { ipAddress = "127.83.3.%d"; tapId = "microvm%d"; mac = "02:00:00:00:01:%02x"; };\n' \
      "$name" $((192 + n)) "$n" "$n"
    n=$((n + 1))
  done
  echo '}'
} >"$P"
for name in good keepdir keepfile planted otherlink legacy stagedir stagelink; do
  "$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" "$name" hang 127.83.3.250 >/dev/null
done

# The user's things, another user's directory, a root-owned one, a root-only secret.
R=$(new_repo proj) R2=$(new_repo proj2)
echo text >"$R/file.txt"
ln -s "$t/repos" "$HOME/via"
ln -s /etc "$HOME/etc-link"
sed 's|^workspaces = .*|workspaces = "/etc"|' "$U" >"$HOME/evil-ws.toml"
{ cat "$U"; printf '# '; head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' x; echo; } >"$HOME/huge.toml"
mkdir -p "$HOME/fake-nixfiles/vms"
printf '{ }: { ghost = { ipAddress = "127.83.3.254"; tapId = "microvm99"; mac = "02:00:00:00:09:09"; }; }\n' \
  >"$HOME/fake-nixfiles/vms/profiles.nix"
sed "s|^nixfiles = .*|nixfiles = \"$HOME/fake-nixfiles\"|" "$U" >"$HOME/evil-nix.toml"
chown -R "$uid:$gid" "$HOME" "$t/repos" "$U"
mkdir -p "$t/home-other/theirs" "$t/rootdir"
chown -R "$ouid" "$t/home-other"
chmod 755 "$t/home-other"
printf 'secret = "TOPSECRET"\n' >"$t/secret.toml"
chmod 0640 "$t/secret.toml" # root:root: sudo left root's group 0 to the caller before the fix
chmod 0755 "$W"
mkdir "$W/keepdir" && echo data >"$W/keepdir/precious"
echo data >"$W/keepfile"
ln -s /etc "$W/planted"                   # root's, pointing at what the user does not own
ln -s "$R2" "$W/legacy"                   # root's (the old script's sudo ln), at the user's repo
ln -s /etc "$W/otherlink" && chown -h "$ouid" "$W/otherlink" # another user's
# Root's links whose targets in a world-writable sticky directory (like /tmp) were removed; the
# user puts a directory of theirs, and a symlink to their repository, where they pointed.
mkdir -m 1777 "$t/shared"
ln -s "$t/shared/gone-dir" "$W/stagedir"
ln -s "$t/shared/gone-link" "$W/stagelink"
as_user "$user" mkdir "$t/shared/gone-dir"
as_user "$user" ln -s "$R" "$t/shared/gone-link"

snapshot() {
  # (the start of good sets STATE_DIR/good/booted, as on a real host)
  find "$t" -path "$W" -prune -o -path "$t/private-systemd.*" -prune -o -path "$t/run" -prune \
    -o -path "$MVH_STATE_DIR/good" -prune -o -printf '%p %y %U:%G %m %s %T@ %l\n' | sort
  on_host sh -c 'find /etc -newer /etc/microvm-here/config.toml; sha256sum /etc/sudoers /etc/sudoers.d/*; ls -la --time-style=+%s /etc/sudoers.d'
}
before=$(snapshot)

attacks=0
# attack WHAT EXIT MESSAGE [NAME=VALUE...] -- ARGS...: `sudo -n microvm-here __privileged ARGS`
# as the user must exit EXIT with exactly "microvm-here: error: MESSAGE" on stderr.
attack() {
  local what=$1 want_rc=$2 want=$3
  shift 3
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  SU_ENV="${env[*]}" run_capture as_user "$user" sudo -n "$bin" __privileged "$@"
  attacks=$((attacks + 1))
  assert_eq "attack $attacks ($what): exit $want_rc" "$want_rc" "$rc"
  assert_eq "attack $attacks ($what): message" "microvm-here: error: $want" "$err"
}
how="microvm-here runs this step itself through sudo; run microvm-here without __privileged"
name_rule="use 1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit"
long=$(printf 'a%.0s' $(seq 300))
owned_only="through sudo only a directory you own can become a VM's workspace"

attack "name not registered" 1 "refusing 'ghost': it is not registered in $P; register it first: microvm-here register ghost" -- link ghost "$R" --config "$U"
attack "start of a name not registered" 1 "refusing 'ghost': it is not registered in $P; register it first: microvm-here register ghost" -- start ghost --config "$U"
attack "registered, not installed" 5 "refusing 'notinst': no VM by that name is installed on this host ($MVH_STATE_DIR/notinst/current/bin/microvm-run is missing); rebuild the host (microvm-here does, unless --no-rebuild), then run again" -- link notinst "$R" --config "$U"
attack "name ../x" 2 "invalid VM name '../x': $name_rule" -- link ../x "$R"
attack "name a/b" 2 "invalid VM name 'a/b': $name_rule" -- link a/b "$R"
attack "empty name" 2 "invalid VM name '': $name_rule" -- link '' "$R"
attack "300-byte name" 2 "invalid VM name '$long': $name_rule" -- link "$long" "$R"
attack "name with a newline" 2 "invalid VM name 'a\\nb': $name_rule" -- link $'a\nb' "$R"
attack "name -rf" 2 "unknown option '-r' for 'microvm-here __privileged'; see 'microvm-here __privileged --help'" -- link -rf "$R"
attack "name -rf after --" 2 "invalid VM name '-rf': $name_rule" -- link -- -rf "$R"
attack "root-owned target" 1 "refusing target '$t/rootdir': it is owned by uid 0, not by you (uid $uid); $owned_only" -- link good "$t/rootdir" --config "$U"
attack "another user's target" 1 "refusing target '$t/home-other/theirs': it is owned by uid $ouid, not by you (uid $uid); $owned_only" -- link good "$t/home-other/theirs" --config "$U"
attack "relative target" 2 "refusing target 'repos/proj': it is not an absolute path; pass the repository's canonical absolute path ($how)" -- link good repos/proj --config "$U"
attack "empty target" 2 "refusing target '': it is not an absolute path; pass the repository's canonical absolute path ($how)" -- link good '' --config "$U"
attack "target with .." 1 "refusing target '$R/../proj': it is not canonical (it goes through a symlink, '.', '..' or '//'); pass the real path $R if that is meant" -- link good "$R/../proj" --config "$U"
attack "symlink in the target's path" 1 "refusing target '$HOME/via/proj': it is not canonical (it goes through a symlink, '.', '..' or '//'); pass the real path $R if that is meant" -- link good "$HOME/via/proj" --config "$U"
attack "target is a symlink to /etc" 1 "refusing target '$HOME/etc-link': it is not canonical (it goes through a symlink, '.', '..' or '//'); pass the real path /etc if that is meant" -- link good "$HOME/etc-link" --config "$U"
attack "target is a file" 1 "refusing target '$R/file.txt': it is not a directory; pass the repository's root directory" -- link good "$R/file.txt" --config "$U"
attack "target does not exist" 1 "refusing target '$R/nope': you cannot reach it (No such file or directory); pass an existing directory of yours" -- link good "$R/nope" --config "$U"
attack "extra argument" 2 "too many arguments for 'microvm-here __privileged': 'extra'; usage: microvm-here __privileged ACTION NAME [TARGET]" -- link good "$R" extra
attack "start with a target" 2 "__privileged start takes NAME only, got 2 argument(s); $how" -- start good "$R"
attack "link without a target" 2 "__privileged link takes NAME TARGET, got 1 argument(s); $how" -- link good
attack "unknown action" 2 "__privileged: unknown action 'chown' (known: link, start, restart, link+start, link+restart); $how" -- chown good "$R"
attack "unknown action link+stop" 2 "__privileged: unknown action 'link+stop' (known: link, start, restart, link+start, link+restart); $how" -- link+stop good "$R"
attack "--nixfiles" 2 "__privileged does not take --nixfiles: the privileged step uses the system's nixfiles; $how" -- link good "$R" --nixfiles "$HOME/fake-nixfiles"
attack "--config with workspaces=/etc" 1 "your configuration $HOME/evil-ws.toml sets workspaces = \"/etc\", but the system configuration /etc/microvm-here/config.toml has \"$W\"; through sudo only the system's value is used: remove 'workspaces' from $HOME/evil-ws.toml or set it to \"$W\"" -- link good "$R" --config "$HOME/evil-ws.toml"
attack "--config with nixfiles elsewhere" 1 "your configuration $HOME/evil-nix.toml sets nixfiles = \"$HOME/fake-nixfiles\", but the system configuration /etc/microvm-here/config.toml has \"$t/nixfiles\"; through sudo only the system's value is used: remove 'nixfiles' from $HOME/evil-nix.toml or set it to \"$t/nixfiles\"" -- link ghost "$R" --config "$HOME/evil-nix.toml"
attack "--config of a root-only file" 1 "cannot read $t/secret.toml: Permission denied" -- link good "$R" --config "$t/secret.toml"
attack "--config of 64 MiB" 3 "$HOME/huge.toml is 64.0 MiB; microvm-here reads at most 1 MiB of a configuration file: is this the right file?" -- link good "$R" --config "$HOME/huge.toml"
attack "non-empty directory in the workspace" 1 "workspace path $W/keepdir is a directory with files in it, not a link microvm-here made; it was left untouched. Move it away (it may hold your data), then run again" -- link keepdir "$R" --config "$U"
attack "file in the workspace" 1 "workspace path $W/keepfile is a file, not a link microvm-here made; it was left untouched. Move it away (it may hold your data), then run again" -- link keepfile "$R" --config "$U"
attack "another user's symlink to /etc in the workspace" 1 "workspace link $W/otherlink -> /etc belongs to uid $ouid ($other), not to you (uid $uid ($user)); it was left untouched. Ask its owner to remove it, or remove it as root (rm $W/otherlink removes only the link), then run again" -- link otherlink "$R" --config "$U"
rootlink="belongs to uid 0 (root), not to you (uid $uid ($user)), and it is replaced for you only when it points at a directory of yours that nobody else can have put there, but"
attack "root's symlink to /etc in the workspace" 1 "workspace link $W/planted -> /etc $rootlink /etc belongs to uid 0, not to you; it was left untouched. To let microvm-here link it, remove it as root (rm $W/planted removes only the link), then run again" -- link planted "$R" --config "$U"
attack "root's link to a removed target, staged as the user's directory" 1 "workspace link $W/stagedir -> $t/shared/gone-dir $rootlink $t/shared is writable by others; it was left untouched. To let microvm-here link it, remove it as root (rm $W/stagedir removes only the link), then run again" -- link stagedir "$R" --config "$U"
attack "root's link to a removed target, staged as a symlink to the user's repo" 1 "workspace link $W/stagelink -> $t/shared/gone-link $rootlink $t/shared is writable by others; it was left untouched. To let microvm-here link it, remove it as root (rm $W/stagelink removes only the link), then run again" -- link stagelink "$R" --config "$U"

# The rule allows nothing but __privileged; the helper refuses to run without root.
run_capture as_user "$user" sudo -n "$bin" register ghost
attacks=$((attacks + 1))
assert_eq "attack $attacks (another subcommand through sudo): exit" 1 "$rc"
assert_eq "attack $attacks (another subcommand through sudo): sudo refuses" "sudo: a password is required" "$err"
run_capture as_user "$user" "$bin" __privileged link good "$R"
attacks=$((attacks + 1))
assert_eq "attack $attacks (without sudo): exit" 2 "$rc"
assert_eq "attack $attacks (without sudo): message" "microvm-here: error: __privileged needs root and is not meant to be called directly; $how" "$err"

# Allowed calls, so that the refusals above are refusals and not a broken rule.
allowed() {
  run_capture as_user "$user" sudo -n "$bin" __privileged "$@" --config "$U"
  assert_eq "allowed: $*: exit 0" 0 "$rc"
  assert_eq "allowed: $*: silent" "" "$err"
}
# (kept by sudo's env_keep, ignored by the step: it reads only --config and the system's file)
SU_ENV="MICROVM_HERE_CONFIG=$HOME/evil-ws.toml MICROVM_HERE_SYSTEM_CONFIG=$HOME/evil-ws.toml" \
  allowed link good "$R"
allowed link good "$R2" # re-pointing the user's own link
allowed link legacy "$R" # a root-owned link to the user's own repository
allowed start good
assert_eq "the VM started" active "$(on_host systemctl is-active microvm@good.service || true)"
on_host systemctl stop microvm@good.service

assert_eq "nothing changed outside $W" "$before" "$(snapshot)"
assert_eq "the workspaces hold exactly what the allowed calls made" \
  "good l $uid -> $R2
keepdir d 0
keepdir/precious f 0
keepfile f 0
legacy l $uid -> $R
otherlink l $ouid -> /etc
planted l 0 -> /etc
stagedir l 0 -> $t/shared/gone-dir
stagelink l 0 -> $t/shared/gone-link" \
  "$(cd "$W" && find . -mindepth 1 -printf '%P %y %U -> %l\n' | sed 's/ -> $//' | sort)"
assert_eq "the data in the workspace is untouched" data "$(cat "$W/keepdir/precious")"
echo "sudo step: $attacks attacks refused"
finish
