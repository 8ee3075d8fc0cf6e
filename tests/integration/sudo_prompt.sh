#!/usr/bin/env bash
# A rebuild that runs real sudo with a rule that requires the user's password, as
# `sudo nixos-rebuild switch` does on a real host, typed by a person at a real interactive bash
# through a pseudo-terminal (tests/harness/pty_drive.py): sudo's prompt is visible, the password
# is not echoed, sudo accepts it and runs the command as root; one Ctrl-C at the prompt ends the
# run at once; without a terminal sudo fails at once and the error says how to fix it. The rule
# lives in the private systemd's /etc overlay (tests/harness/sudo-user.sh).
# labels: root sshd nix
# timeout: 300
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
mvh_require_reachable_by_others
command -v /usr/bin/sudo >/dev/null || skip "sudo is not installed"
mvh_new_test_dir sudo_prompt
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
source "$MVH_SOURCE_DIR/tests/harness/sudo-user.sh"
mvh_sandbox 128 127.83.114
t=$MVH_TEST_DIR
user=mvh-prompt-test
password=Sesame-4-tests
log=$XDG_STATE_HOME/microvm-here/rebuild.log
hint="The rebuild asked for a password, but there is no terminal to ask on. Run microvm-here from a terminal (in the foreground), or let the rebuild run without a password (a NOPASSWD sudoers rule for it)."

sudo_setup_etc
sudo_add_user "$user" "$HOME"
uid=$(sudo_uid "$user") gid=$(sudo_gid "$user")
printf '%s:%s\n' "$user" "$password" | on_host chpasswd
# The rebuild: sudo with a password, then a failure of its own (exit 3), so that the run stops
# at the rebuild with its output in the error, whatever sudo did.
printf '%s ALL=(root) /bin/sh\n' "$user" >"$t/sudoers-prompt"
on_host visudo -cqf "$t/sudoers-prompt"
on_host install -m 0440 -o root -g root "$t/sudoers-prompt" /etc/sudoers.d/mvh-prompt
sed -i 's|^rebuild = .*|rebuild = ["/usr/bin/sudo", "/bin/sh", "-c", "echo rebuilt as $(id -un); exit 3"]|' \
  "$MICROVM_HERE_CONFIG"
mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
echo "PS1='MVHPROMPT> '" >"$HOME/.bashrc-test"
chown -R "$uid:$gid" "$HOME" "$XDG_RUNTIME_DIR" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" \
  "$t/nixfiles" "$t/repos" "$MICROVM_HERE_CONFIG"
repo_as_user() { new_repo "$1" >/dev/null && chown -R "$uid:$gid" "$t/repos/$1" && echo "$t/repos/$1"; }
r1=$(repo_as_user sudoone) r2=$(repo_as_user sudotwo)
bin=$(realpath "$MVH_BIN")

# as_user (sudo-user.sh) as one argv, for pty_drive.py and setsid.
as_the_user=(nsenter -t "$MVH_SD_PID" -m -p --wd="$t"
  setpriv --reuid="$uid" --regid="$gid" --init-groups
  env -i HOME="$HOME" USER="$user" LOGNAME="$user" PATH=/usr/bin:/bin
  XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_STATE_HOME="$XDG_STATE_HOME"
  XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" MICROVM_HERE_CONFIG="$MICROVM_HERE_CONFIG" NIX_REMOTE=dummy://)
steps=$t/steps
cat >"$steps" <<EOS
send cd $r1
type $bin -- true; echo "rc=\$?"\r
wait password for $user: \$
sleep 1
type $password\r
wait rc=[0-9]+
send sudo -k
send cd $r2
type $bin -- true; echo "rc=\$?"\r
wait password for $user: \$
type \x03
wait rc=[0-9]+
send stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo
EOS
set +e
python3 "$MVH_SOURCE_DIR/tests/harness/pty_drive.py" --timeout 90 \
  --transcript "$t/tty.txt" --raw "$t/tty.raw" -- \
  "${as_the_user[@]}" bash --noprofile --rcfile "$HOME/.bashrc-test" -i <"$steps"
drive_rc=$?
set -e
transcript=$(cat "$t/tty.txt")
assert_eq "the session ran to the end" 0 "$drive_rc"
screen=$(python3 "$MVH_SOURCE_DIR/tests/harness/screen_lines.py" "$t/tty.raw")
assert_eq "sudo's prompt is visible and alone on its line, both times" \
  "[sudo] password for $user: "$'\n'"[sudo] password for $user: " "$(grep -F "password for $user:" <<<"$screen" || true)"
assert_not_contains "the password is not echoed" "$password" "$transcript"
assert_contains "sudo took the password and ran the rebuild as root" $'its last lines:\n  rebuilt as root\n' "$transcript"
assert_contains "the rebuild's own failure: exit 4" $'Fix the error and run microvm-here again.\nrc=4\n' "$transcript"
assert_contains "one Ctrl-C at sudo's prompt ends the run" "microvm-here: error: interrupted: the rebuild was stopped (its process group got the signal); nothing else was done. Output so far: $log"$'\n'"rc=130" "$transcript"
assert_contains "the terminal's echo is on afterwards" $'-echo\necho\nMVHPROMPT> ' "$transcript"

# No controlling terminal: sudo fails at once, and the error says what to do.
run_capture setsid -w "${as_the_user[@]}" sh -c "cd $r2 && exec $bin -- true" </dev/null
assert_eq "no terminal: exit" 4 "$rc"
assert_contains "no terminal: sudo's words" "  sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper" "$err"
assert_contains "no terminal: the fix" "$hint" "$err"
finish
