#!/bin/bash
# prompt-rebuild.sh: a rebuild that asks for a password on /dev/tty exactly as sudo does (echo
# off, the prompt, one line read, echo back on, a newline), then runs fake-rebuild.sh. The
# password it got goes to $MVH_TEST_DIR/password-got. With no terminal it fails at once with
# sudo's words. Knob: $MVH_TEST_DIR/prompt-output (print a line and wait 1 s before the prompt).
set -euo pipefail
t=${MVH_TEST_DIR:?}
if [ -f "$t/prompt-output" ]; then
  echo "evaluating the system configuration..."
  sleep 1
fi
if ! { exec 3<>/dev/tty; } 2>/dev/null; then
  echo "sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper" >&2
  echo "sudo: a password is required" >&2
  exit 1
fi
saved=$(stty -g <&3)
stty -echo <&3
printf '[sudo] password for %s: ' "$(id -un)" >&3
IFS= read -r password <&3
stty "$saved" <&3
printf '\n' >&3
printf '%s\n' "$password" >"$t/password-got"
exec "$(dirname "$(realpath "$0")")/fake-rebuild.sh"
