#!/usr/bin/env bash
# The privileged step takes nothing from its environment. An unprivileged user with a sudo rule
# for "microvm-here __privileged *" that passes the caller's environment on (`Defaults
# !env_reset`, as some admins set) and lets them set variables (`SETENV`) hands the step
# hostile variables, both ways: inherited and on sudo's command line. The worst one,
# DBUS_SYSTEM_BUS_ADDRESS=unixexec:path=/bin/sh,argv1=SCRIPT, makes sd-bus run SCRIPT (as root,
# before the fix); the others aim at the configuration, the programs found on PATH, the log
# level and the locale; SUDO_UID set by the user must not name someone else. Each call must do exactly what it does in a clean environment: link
# into the system's workspaces directory, start the VM over the real system bus, print nothing,
# and run none of the user's programs.
# labels: root
# timeout: 120
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
command -v /usr/bin/sudo >/dev/null || skip "sudo is not installed"
mvh_new_test_dir sudo_env
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 128 127.83.12
t=$MVH_TEST_DIR W=$t/workspaces U=$MICROVM_HERE_CONFIG
user=mvh-sudo-test other=mvh-sudo-other
bin=$(realpath "$MVH_BIN")

sudo_setup_etc
sudo_add_user "$user" "$HOME"
sudo_add_user "$other" "$t/home-other"
uid=$(sudo_uid "$user") gid=$(sudo_gid "$user") ouid=$(sudo_uid "$other")
SUDO_TAGS="NOPASSWD: SETENV:" sudo_rule "$user" '!env_reset'
sudo_system_config "$U"
printf '{ }: { good = { ipAddress = "127.83.12.131"; tapId = "microvm3"; mac = "02:00:00:00:0c:03"; }; }\n' \
  >"$t/nixfiles/vms/profiles.nix"
"$MVH_HARNESS/install-vm.sh" "$MVH_STATE_DIR" good hang 127.83.12.250 >/dev/null
R=$(new_repo proj)
chmod 0755 "$W"

# The user's traps: a script for the unixexec address, programs on an evil PATH, configurations
# that point the workspaces at /etc. Each program that runs leaves its uid in $t/ran.
mark="$t/ran"
: >"$mark"
chmod 666 "$mark"
printf '#!/bin/sh\necho "$(id -u) $0 $*" >>%s\n' "$mark" >"$HOME/x.sh"
mkdir -p "$HOME/evilbin" "$HOME/evil-xdg/microvm-here" "$HOME/evil-home/.config/microvm-here"
for p in nix-instantiate systemctl sh bash ssh git dbus-send; do
  cp "$HOME/x.sh" "$HOME/evilbin/$p"
done
chmod 755 "$HOME/x.sh" "$HOME/evilbin"/*
sed 's|^workspaces = .*|workspaces = "/etc"|' "$U" >"$HOME/evil-ws.toml"
cp "$HOME/evil-ws.toml" "$HOME/evil-xdg/microvm-here/config.toml"
cp "$HOME/evil-ws.toml" "$HOME/evil-home/.config/microvm-here/config.toml"
chown -R "$uid:$gid" "$HOME" "$t/repos" "$U"

exec_bus="DBUS_SYSTEM_BUS_ADDRESS=unixexec:path=/bin/sh,argv1=$HOME/x.sh"
everything=("MICROVM_HERE_CONFIG=$HOME/evil-ws.toml" "MICROVM_HERE_SYSTEM_CONFIG=$HOME/evil-ws.toml"
  "HOME=$HOME/evil-home" "XDG_CONFIG_HOME=$HOME/evil-xdg" "XDG_STATE_HOME=$HOME/evil-home"
  "XDG_RUNTIME_DIR=$HOME/evil-home" "PATH=$HOME/evilbin" "TMPDIR=$HOME/evil-home"
  "LANG=de_DE.UTF-8" "LC_ALL=de_DE.UTF-8" "SPDLOG_LEVEL=trace" "SYSTEMD_LOG_LEVEL=debug"
  "SYSTEMD_LOG_TARGET=console" "DBUS_SESSION_BUS_ADDRESS=unixexec:path=/bin/sh,argv1=$HOME/x.sh"
  "SHELL=$HOME/x.sh")

calls=0
# step WHAT [inherit|setenv] [NAME=VALUE...] -- ARGS...: `sudo -n microvm-here __privileged
# ARGS` as the user, the variables in its environment (inherit) or on sudo's command line
# (setenv); it must exit 0, print nothing and run no program of the user's.
step() {
  local what=$1 how=$2
  shift 2
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  calls=$((calls + 1))
  if [ "$how" = inherit ]; then
    SU_ENV="${env[*]}" run_capture as_user "$user" /usr/bin/sudo -n "$bin" __privileged "$@"
  else
    run_capture as_user "$user" /usr/bin/sudo -n "${env[@]}" "$bin" __privileged "$@"
  fi
  assert_eq "call $calls ($what, $how): exit 0" 0 "$rc"
  assert_eq "call $calls ($what, $how): silent" "" "$err$out"
  assert_eq "call $calls ($what, $how): none of the user's programs ran" "" "$(cat "$mark")"
  : >"$mark"
}
good_active() { [ "$(on_host systemctl is-active microvm@good.service 2>/dev/null)" = active ]; }
started() {
  # The start job is done when the step returns; the unit may still be activating under load.
  wait_until 30 good_active || true
  assert_eq "call $calls: the VM started" active "$(on_host systemctl is-active microvm@good.service || true)"
  on_host systemctl stop microvm@good.service
}

step "a bus address that runs a program" inherit "$exec_bus" -- start good --config "$U"
started
step "a bus address that runs a program" setenv "$exec_bus" -- start good --config "$U"
started
step "a bus address where no bus is" inherit "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$HOME/no-bus" -- restart good --config "$U"
started
step "configuration, PATH, locale, log level" inherit "${everything[@]}" "$exec_bus" -- link+start good "$R" --config "$U"
started
rm "$W/good"
step "configuration, PATH, locale, log level" setenv "${everything[@]}" "$exec_bus" -- link+start good "$R"
started
assert_eq "the link is in the system's workspaces, the user's, at the repo" "l $uid $R" \
  "$(stat -c '%F' "$W/good" | sed 's/symbolic link/l/') $(stat -c %u "$W/good") $(readlink "$W/good")"
assert_eq "nothing was linked into /etc" "" "$(on_host find /etc -maxdepth 1 -name good)"

# SETENV also lets the user set sudo's own SUDO_UID; the step then believes sudo, its parent,
# whose real uid is the user's.
how="microvm-here runs this step itself through sudo; run microvm-here without __privileged"
mkdir "$t/rootdir"
rm "$W/good"
run_capture as_user "$user" /usr/bin/sudo -n SUDO_UID=0 "$bin" __privileged link good "$t/rootdir" --config "$U" --caller root
assert_eq "SUDO_UID=0 --caller root through SETENV: refused" "2 microvm-here: error: __privileged was told of two callers: --caller says uid 0 (root), its parent process (sudo) says uid $uid ($user); it acts for one user only ($how)" "$rc $err"
run_capture as_user "$user" /usr/bin/sudo -n SUDO_UID=$ouid "$bin" __privileged link good "$t/home-other" --config "$U"
assert_eq "SUDO_UID of another user through SETENV: refused" "2 microvm-here: error: __privileged was told of two callers: SUDO_UID says uid $ouid ($other), its parent process (sudo) says uid $uid ($user); it acts for one user only ($how)" "$rc $err"
assert_eq "nothing linked for them" "" "$(ls "$W")"
finish
