#!/usr/bin/env bash
# Which VM a run means, and what its workspace may become (README "VM names"), end to end on a
# real systemd with stand-in VMs (real sshd): a NAME enters that VM and never re-points it
# without --here (never to a non-repository directory without --share-any-dir); a repository at
# $HOME does not make "repository home"; two repositories with one basename get distinct,
# remembered VMs; --restart does not end live sessions unasked; unknown words create nothing.
# labels: root sshd nix
# timeout: 400
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
mvh_new_test_dir names
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.11
t=$MVH_TEST_DIR
profiles=$t/nixfiles/vms/profiles.nix
rebuilds() { cat "$t/rebuild-count" 2>/dev/null || echo 0; }
inv() { on_host systemctl show -P InvocationID "microvm@$1.service"; }
# The test directory lies inside this project's checkout: a directory outside every repository
# is made in the private systemd's own /tmp, and the binary run there.
plain=/tmp/plain
on_host mkdir -p "$plain"
mvh_plain() { nsenter -t "$MVH_SD_PID" -m -p sh -c 'cd "$1" && shift && exec "$@"' _ "$plain" "$MVH_BIN" "$@"; }

api=$(new_repo api)
cd "$api"
run_capture mvh -- true
assert_eq "first repository: exit" 0 "$rc"
assert_eq "first repository: linked" "$api" "$(readlink "$t/workspaces/api")"
assert_eq "first repository: name remembered" "api	$api" "$(cat "$XDG_STATE_HOME/microvm-here/names")"

# Item 5: a word that is no registered VM creates nothing.
before=$(cat "$profiles") n=$(rebuilds)
for w in gc delete start ssh up version; do
  run_capture mvh "$w" -- true
  assert_eq "unknown word $w: exit 2" 2 "$rc"
  assert_eq "unknown word $w: message" "microvm-here: error: no VM named '$w'; 'microvm-here register $w' creates one" "$err"
done
run_capture mvh stat
assert_eq "a typo of a command: exit 2" 2 "$rc"
assert_eq "a typo of a command: did you mean" "microvm-here: error: unknown command 'stat' (did you mean 'status'?); to create a VM called 'stat', run: microvm-here register stat" "$err"
assert_eq "unknown words: profiles.nix unchanged" "$before" "$(cat "$profiles")"
assert_eq "unknown words: no rebuild" "$n" "$(rebuilds)"

# Item 2: a NAME enters that VM; its workspace stays.
mkdir -p "$HOME/notes"
cd "$HOME"
run_capture mvh api -- pwd
assert_eq "NAME from \$HOME: exit" 0 "$rc"
assert_eq "NAME from \$HOME: workspace unchanged" "$api" "$(readlink "$t/workspaces/api")"
assert_not_contains "NAME from \$HOME: no warning" "warning" "$err"
run_capture mvh_plain --here api -- true
assert_eq "--here outside a repository: exit 2" 2 "$rc"
assert_eq "--here outside a repository: message" "microvm-here: error: --here would share '$plain' with VM 'api', but it is not inside a git repository; add --share-any-dir to share it anyway" "$err"
assert_eq "--here outside a repository: workspace unchanged" "$api" "$(readlink "$t/workspaces/api")"
other=$(new_repo other)
cd "$other"
inv1=$(inv api)
run_capture mvh --here api -- true
assert_eq "--here while running: exit" 0 "$rc"
assert_eq "--here while running: says what the VM sees" "microvm-here: warning: VM 'api' is running with the workspace $api; 'microvm-here --here --restart api' switches it to $other" "$err"
assert_eq "--here while running: link still says what the VM sees" "$api" "$(readlink "$t/workspaces/api")"
assert_eq "--here while running: not restarted" "$inv1" "$(inv api)"
run_capture mvh register solo
run_capture mvh solo -- true
assert_eq "a VM without a workspace: exit 2" 2 "$rc"
assert_eq "a VM without a workspace: message" "microvm-here: error: VM 'solo' has no workspace yet; to share this repository with it: microvm-here --here solo" "$err"
[ ! -e "$t/workspaces/solo" ] && ok "a VM without a workspace: no link made" || not_ok "a VM without a workspace: no link made"

# Item 3: a dotfiles repository at $HOME is no repository root; outside one: stop.
git -C "$HOME" init -q
before=$(cat "$profiles") n=$(rebuilds)
cd "$HOME/notes"
home_msg="'$HOME/notes' is not inside a git repository (the repository at your home directory $HOME does not count); cd into a repository, or share this directory with a VM anyway: microvm-here --share-any-dir"
run_capture mvh -- true
assert_eq "under a dotfiles \$HOME: exit 2" 2 "$rc"
assert_eq "under a dotfiles \$HOME: message" "microvm-here: error: $home_msg" "$err"
run_capture mvh name
assert_eq "name under a dotfiles \$HOME: exit 2" 2 "$rc"
assert_eq "name under a dotfiles \$HOME: message" "microvm-here: error: $home_msg" "$err"
run_capture mvh status
assert_eq "status under a dotfiles \$HOME: exit 2" 2 "$rc"
run_capture "$MVH_BIN" hook-env bash
assert_eq "hook-env under a dotfiles \$HOME: no VM" "0|" "$rc|$out"
run_capture mvh_plain -- true
assert_eq "outside any repository: exit 2" 2 "$rc"
assert_eq "outside any repository: message" "microvm-here: error: '$plain' is not inside a git repository; cd into a repository, or share this directory with a VM anyway: microvm-here --share-any-dir" "$err"
assert_eq "outside repositories: profiles.nix unchanged" "$before" "$(cat "$profiles")"
assert_eq "outside repositories: no rebuild" "$n" "$(rebuilds)"
[ ! -e "$t/workspaces/home" ] && [ ! -e "$t/workspaces/plain" ] && ok "outside repositories: no link" || not_ok "outside repositories: no link"
cd "$HOME/notes"
run_capture mvh -n --share-any-dir
assert_eq "--share-any-dir: \$HOME's repository is the root" "would link $t/workspaces/home -> $HOME" "$(grep '^would link' <<<"$out")"
rm -rf "$HOME/.git"

# Item 4: one basename, two repositories: detected before anything changes, a distinct VM on
# request, remembered.
api2=$t/elsewhere/api
mkdir -p "$api2" && git -C "$api2" init -q
cd "$api2"
before=$(cat "$profiles") n=$(rebuilds)
run_capture mvh -- true
assert_eq "same basename: exit 2" 2 "$rc"
assert_eq "same basename: message" "microvm-here: error: VM 'api' already serves $api, another repository with the same name; nothing was changed. Give $api2 a VM of its own: microvm-here --new-name (makes 'api-2' and remembers it for this repository), or share 'api' on purpose: microvm-here --here api" "$err"
assert_eq "same basename: link unchanged" "$api" "$(readlink "$t/workspaces/api")"
assert_eq "same basename: profiles.nix unchanged" "$before" "$(cat "$profiles")"
assert_eq "same basename: hook-env names no VM" "" "$("$MVH_BIN" hook-env bash)"
run_capture mvh --new-name -- true
assert_eq "--new-name: exit" 0 "$rc"
assert_contains "--new-name: says so" "microvm-here: 'api' serves $api; this repository's VM is 'api-2'" "$err"
assert_contains "--new-name: registers api-2" "registered api-2 in $profiles" "$err"
assert_eq "--new-name: its own link" "$api2" "$(readlink "$t/workspaces/api-2")"
assert_eq "--new-name: the first link unchanged" "$api" "$(readlink "$t/workspaces/api")"
assert_eq "--new-name: remembered (and --here api for $other)" "api	$api
api	$other
api-2	$api2" "$(cat "$XDG_STATE_HOME/microvm-here/names")"
n=$(rebuilds)
run_capture mvh -v -- true
assert_eq "remembered: exit" 0 "$rc"
assert_contains "remembered: enters api-2" "exec: ssh -F $HOME/.ssh/config -- microvm-api-2 true" "$err"
assert_eq "remembered: no rebuild" "$n" "$(rebuilds)"
assert_eq "remembered: name" "api-2" "$(mvh name)"
assert_contains "remembered: status" "name       api-2" "$(mvh status)"
assert_eq "remembered: hook-env" "export MICROVM_HERE_NAME=api-2
export MICROVM_HERE_PROFILE=1" "$("$MVH_BIN" hook-env bash)"

# Item 4: --restart with a live session asks (no terminal here: needs --force).
cd "$api"
mvh -- sleep 60 </dev/null >/dev/null 2>&1 &
session=$!
ip=$(nix_eval "$profiles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api"]["ipAddress"])')
wait_until 30 sh -c "ss -Htn state established dst $ip:22 | grep -q ."
inv1=$(inv api)
run_capture mvh --restart -- true
assert_eq "--restart with a live session: exit 2" 2 "$rc"
assert_eq "--restart with a live session: message" "microvm-here: error: VM 'api' has 1 live SSH session (connections to $ip:22); --restart ends it; nothing was changed. Add --force to restart anyway" "$err"
assert_eq "--restart with a live session: not restarted" "$inv1" "$(inv api)"
# On a terminal it asks; "n" changes nothing.
printf '%s\n' 'type n\r' 'wait not restarted' |
  python3 "$MVH_SOURCE_DIR/tests/harness/pty_drive.py" --prompt 'Restart anyway\? \[y/N\] ' \
    --transcript "$t/ask.txt" -- nsenter -t "$MVH_SD_PID" -m -p \
    sh -c 'cd "$1" && shift && exec "$@"' _ "$api" "$MVH_BIN" --restart -- true || true
assert_eq "--restart on a terminal: asks, and n changes nothing" "microvm-here: VM 'api' has 1 live SSH session (connections to $ip:22); --restart ends it. Restart anyway? [y/N] n
microvm-here: error: not restarted; nothing was changed" "$(grep '^microvm-here' "$t/ask.txt")"
assert_eq "--restart on a terminal: not restarted" "$inv1" "$(inv api)"
run_capture mvh --restart --force -- true
assert_eq "--restart --force: exit" 0 "$rc"
[ "$inv1" != "$(inv api)" ] && ok "--restart --force: restarted" || not_ok "--restart --force: restarted"
kill "$session" 2>/dev/null || true
wait "$session" 2>/dev/null || true
# --here with --restart switches a running VM on purpose.
cd "$other"
run_capture mvh --here --restart api -- true
assert_eq "--here --restart: exit" 0 "$rc"
assert_eq "--here --restart: re-pointed" "$other" "$(readlink "$t/workspaces/api")"
for vm in api api-2; do on_host systemctl stop "microvm@$vm.service"; done

# Item 10: hook = "start" never re-points a workspace. Runs hook-env as the shell hook would (in
# the directory, MICROVM_HERE_HOOK_PID unset: a background failure is then shown nowhere) and
# waits until any background start it spawned is gone.
sed 's/^boot_timeout = .*/&\nhook = "start"/' "$MICROVM_HERE_CONFIG" >"$t/start.toml"
hook_env_in() {
  nsenter -t "$MVH_SD_PID" -m -p sh -c 'cd "$1" && shift && exec "$@"' _ "$1" \
    env MICROVM_HERE_CONFIG="$t/start.toml" "$MVH_BIN" hook-env bash
}
no_background_start() { ! pgrep -f -- "$MVH_BIN __hook-start" >/dev/null; }
third=$t/third/api
mkdir -p "$third" && git -C "$third" init -q
mvh trust "$third" 2>/dev/null
mvh trust "$api" 2>/dev/null
mvh trust "$api2" 2>/dev/null
run_capture hook_env_in "$third"
wait_until 60 no_background_start
assert_eq "hook start, same basename: no VM, nothing started" "0||" "$rc|$out|$err"
assert_eq "hook start, same basename: workspace unchanged" "$other" "$(readlink "$t/workspaces/api")"
assert_eq "hook start, same basename: VM not started" "inactive" "$(on_host systemctl is-active microvm@api.service || true)"
run_capture hook_env_in "$api"
wait_until 60 no_background_start
assert_eq "hook start, workspace elsewhere: exit" 1 "$rc"
assert_eq "hook start, workspace elsewhere: one line before the prompt" "microvm-here: hook: cannot start the VM 'api': its workspace is not this repository and the hook never changes it; run 'microvm-here' in $api once" "$err"
assert_eq "hook start, workspace elsewhere: workspace unchanged" "$other" "$(readlink "$t/workspaces/api")"
assert_eq "hook start, workspace elsewhere: VM not started" "inactive" "$(on_host systemctl is-active microvm@api.service || true)"
cd "$api"
run_capture mvh -- true
assert_eq "the repository itself takes its VM back" "microvm-here: VM 'api' now sees $api instead of $other" "$(grep "now sees" <<<"$err")"
run_capture hook_env_in "$api2"
wait_until 60 no_background_start
assert_eq "hook start, its own VM: variables" "0|export MICROVM_HERE_NAME=api-2
export MICROVM_HERE_PROFILE=1|" "$rc|$out|$err"
wait_until 60 on_host systemctl is-active -q microvm@api-2.service
assert_eq "hook start, its own VM: started" "active" "$(on_host systemctl is-active microvm@api-2.service || true)"
for vm in api api-2; do on_host systemctl stop "microvm@$vm.service"; done
finish
