#!/usr/bin/env bash
# A rebuild that asks for a password on the terminal, as `sudo nixos-rebuild` does, driven by a
# person through a pseudo-terminal (tests/harness/pty_drive.py, a real interactive bash): the
# prompt stays visible with the status line out of its way, the password is not echoed, one
# Ctrl-C ends the rebuild and leaves the terminal's echo on; without the terminal (a background
# job, or no controlling terminal at all) the rebuild fails at once with the fix, never hangs.
# The rebuild is tests/harness/prompt-rebuild.sh, which prompts exactly as sudo does.
# Then ssh's terminal in the VM: piped output of a command stays byte-exact (no "\r\n", stderr
# apart), -t and -T force it either way.
# labels: root sshd nix
# timeout: 400
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
mvh_new_test_dir terminal
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.113
t=$MVH_TEST_DIR
sed -i "s|^rebuild = .*|rebuild = [\"$MVH_HARNESS/prompt-rebuild.sh\"]|" "$MICROVM_HERE_CONFIG"
log=$XDG_STATE_HOME/microvm-here/rebuild.log
r1=$(new_repo ttyone) r2=$(new_repo ttytwo) r3=$(new_repo ttythree)
bin=$(realpath "$MVH_BIN")
hint="The rebuild asked for a password, but there is no terminal to ask on. Run microvm-here from a terminal (in the foreground), or let the rebuild run without a password (a NOPASSWD sudoers rule for it)."

# The shell runs inside the private host's namespaces, so that the process groups it makes for
# its jobs are visible to microvm-here (a group outside a PID namespace reads as 0).
# The first run prints a line before its prompt, so the status line shows it when the prompt comes.
touch "$t/prompt-output"
steps=$t/tty-steps
cat >"$steps" <<EOS
send cd $r1
type $bin -- echo entered; echo "rc=\$?"\r
wait password for root: \$
# the status line would have ticked over the prompt by now
sleep 1.5
type hunter2\r
wait rc=[0-9]+
send $bin -- sh -c 'echo out; echo err >&2' 2>$t/piped-err | cat -A
send $bin -t -- tty | cat -A
send $bin -T -- tty
send rm $t/prompt-output
send cd $r2
type $bin -- true; echo "rc=\$?"\r
wait password for root: \$
type \x03
wait rc=[0-9]+
send stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo
send cd $r3
type $bin -- true & wait \$!; echo "rc=\$?"\r
wait rc=[0-9]+
EOS
echo "PS1='MVHPROMPT> '" >"$t/bashrc"
set +e
python3 "$MVH_SOURCE_DIR/tests/harness/pty_drive.py" --timeout 90 \
  --transcript "$t/tty.txt" --raw "$t/tty.raw" -- \
  nsenter -t "$MVH_SD_PID" -m -p --wd="$t" bash --noprofile --rcfile "$t/bashrc" -i <"$steps"
drive_rc=$?
set -e
transcript=$(cat "$t/tty.txt")
assert_eq "the session ran to the end" 0 "$drive_rc"
screen=$(python3 "$MVH_SOURCE_DIR/tests/harness/screen_lines.py" "$t/tty.raw")
prompt_lines=$(grep -F 'password for root:' <<<"$screen" || true)
assert_eq "the prompt is visible and alone on its line, both times" \
  "[sudo] password for root: "$'\n'"[sudo] password for root: " "$prompt_lines"
assert_contains "the status line was drawn when the prompt came" "evaluating the system configuration...[sudo] password for root: " "$transcript"
assert_not_contains "the password is not echoed" "hunter2" "$transcript"
assert_eq "the rebuild got the password" "hunter2" "$(cat "$t/password-got" 2>/dev/null)"
assert_contains "the run went on into the VM" $'entered\nrc=0' "$transcript"
assert_contains "one Ctrl-C ends the rebuild" "microvm-here: error: interrupted: the rebuild was stopped (its process group got the signal); nothing else was done. Output so far: $log"$'\n'"rc=130" "$transcript"
assert_contains "the terminal's echo is back on after Ctrl-C" $'-echo\necho\nMVHPROMPT> ' "$transcript"
assert_contains "a background run fails at once: sudo's words" "  sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper" "$transcript"
assert_contains "a background run fails at once: the fix" "$hint"$'\n'"Full output: $log. Fix the error and run microvm-here again." "$transcript"
assert_contains "a background run fails at once: exit 4" $'\nrc=4\n' "$transcript"
assert_contains "piped: stdout without \\r" $'| cat -A\nout$\nMVHPROMPT> ' "$transcript"
assert_eq "piped: stderr apart" "err" "$(cat "$t/piped-err")"
assert_contains "-t: a terminal even when piped" $'| cat -A\n/dev/pts/' "$transcript"
assert_contains "-T: no terminal even on one" $'-T -- tty\nnot a tty\n' "$transcript"

# No controlling terminal at all (a cron job, a service): the same, at once.
r4=$(new_repo ttyfour)
cd "$r4"
run_capture setsid -w nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" "$MVH_BIN" -- true </dev/null
assert_eq "no terminal: exit" 4 "$rc"
assert_contains "no terminal: the fix" "$hint" "$err"

# Every run starts with a header line in rebuild.log: the time, the VM and the command.
headers=$(grep -E "^=== [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}: rebuild for tty[a-z]+: $MVH_HARNESS/prompt-rebuild.sh \(in $t/nixfiles\)\$" "$log" | sed 's/.*rebuild for \([a-z]*\):.*/\1/' | tr '\n' ' ')
assert_eq "rebuild.log: one header per run" "ttyone ttytwo ttythree ttyfour " "$headers"

finish
