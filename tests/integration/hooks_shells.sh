#!/usr/bin/env bash
# The shell hooks and completions in real interactive zsh, bash and fish, driven through a
# pseudo-terminal (tests/harness/pty_drive.py) under strace: the variables per directory, no
# process at a prompt without a directory change, $? kept, silent $(cd ...), one install when
# eval'ed twice, nounset/errexit, a broken config, hook = "start" / "enter" with trust, and
# completion of commands, options, profile names and shells.
# labels: shells
# timeout: 600
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v python3 >/dev/null || skip "python3 is missing"
command -v strace >/dev/null || skip "strace is missing"
strace -f -o /dev/null true 2>/dev/null || skip "strace cannot trace here (no ptrace)"

t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_DATA_HOME=$t/data
export XDG_CACHE_HOME=$t/cache XDG_RUNTIME_DIR=$t/run TERM=xterm
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$t/no-bus  # the enter/start attempts fail fast
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE MICROVM_HERE_HOOK MICROVM_HERE_HOOK_PID PROMPT_COMMAND
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$t/bin" "$t/nix" "$t/ws" "$t/plain"
chmod 700 "$XDG_RUNTIME_DIR"  # private, as systemd makes it (README "Threat model")
ln -s "$MVH_BIN" "$t/bin/microvm-here"  # the completions call `microvm-here` by its name
export PATH=$t/bin:$PATH
drive=$MVH_SOURCE_DIR/tests/harness/pty_drive.py

cat >"$t/nix/profiles.nix" <<'EOF'
{ }:
{
  foo = {
    ipAddress = "127.83.0.5";
    tapId = "microvm1";
    mac = "02:00:00:00:00:05";
  };
  bar2 = {
    ipAddress = "127.83.0.6";
    tapId = "microvm2";
    mac = "02:00:00:00:00:06";
  };
}
EOF
for mode in status start enter; do
  cat >"$t/$mode.toml" <<EOF
nixfiles = "$t/nix"
profiles = "profiles.nix"
subnet = "127.83.0.0/24"
workspaces = "$t/ws"
state_dir = "$t/vms"
hook = "$mode"
EOF
done
printf 'nixfiles = [\n' >"$t/bad.toml"
export MICROVM_HERE_CONFIG=$t/status.toml

foo=$t/repos/foo bar2=$t/repos/bar2 other=$t/repos/other foo_too=$t/elsewhere/foo
mkdir -p "$foo/sub" "$bar2" "$other" "$foo_too"
for r in "$foo" "$bar2" "$other" "$foo_too"; do git -C "$r" init -q; done
# foo is built and its workspace is foo: hook = "start" starts it in the background (which then
# fails: there is no bus). foo_too has the same basename: its derived name is not its own.
mkdir -p "$t/vms/foo/current/bin"
printf '#!/bin/sh\n' >"$t/vms/foo/current/bin/microvm-run"
chmod +x "$t/vms/foo/current/bin/microvm-run"
ln -s "$foo" "$t/ws/foo"
"$MVH_BIN" trust "$foo_too" 2>/dev/null
run_capture "$MVH_BIN" trust "$foo/sub"
assert_eq "trust" "microvm-here: trusted $foo: the shell hook may now start or enter its VM (config 'hook' = \"start\" or \"enter\"); undo with: microvm-here untrust" "$err"
assert_eq "trust list" "$foo_too
$foo" "$(cat "$XDG_STATE_HOME/microvm-here/trusted")"

# The steps of one session. $1: the shell; the syntax differs only where it must.
steps() {
  local sh=$1 q='$?' set_cfg='export MICROVM_HERE_CONFIG=' sub="x=\$(cd $foo); echo \"<<sub=[\$x]>>\""
  # Until the background start has left its message (or is gone): the next prompt shows it.
  local msg_wait='for i in $(seq 200); do [ -e "$XDG_RUNTIME_DIR/microvm-here/hook-message.$$" ] && break; pgrep -f -- "__hook-start foo" >/dev/null || break; sleep 0.1; done'

  show() { echo "send echo \"<<$1=\${MICROVM_HERE_NAME-}|\${MICROVM_HERE_PROFILE-}>>\""; }
  if [ "$sh" = fish ]; then
    q='$status' set_cfg='set -gx MICROVM_HERE_CONFIG '
    sub="set x (cd $foo); echo \"<<sub=[\$x]>>\""
    msg_wait='for i in (seq 200); test -e $XDG_RUNTIME_DIR/microvm-here/hook-message.$fish_pid; and break; pgrep -f -- "__hook-start foo" >/dev/null; or break; sleep 0.1; end'

    show() { echo "send echo \"<<$1=\$MICROVM_HERE_NAME|\$MICROVM_HERE_PROFILE>>\""; }
  fi
  echo "send echo \"<<hook=\$MICROVM_HERE_HOOK>>\""
  show s0
  echo "send /bin/true MVHMARK-cd"
  echo "send cd $foo/sub"
  echo "send /bin/true MVHMARK-cd-end"
  show s1
  echo "send /bin/true MVHMARK-idle"
  for _ in 1 2 3 4 5; do echo "send true"; done
  echo "send /bin/true MVHMARK-idle-end"
  echo "send cd $other && sh -c 'exit 7'"
  echo "send echo \"<<rc=$q>>\""
  show s2
  echo "send /bin/true MVHMARK-sub"
  echo "send $sub"
  echo "send /bin/true MVHMARK-sub-end"
  show s3
  echo "send cd $t/plain"
  show s4
  case $sh in
    bash) echo "send set -euo pipefail" ;;
    zsh) echo "send setopt nounset errexit pipefail" ;;
  esac
  echo "send cd $foo"
  show s5
  echo "send cd $t/plain"
  echo "send echo \"<<alive>>\""
  case $sh in
    bash) echo "send set +euo pipefail" ;;
    zsh) echo "send unsetopt nounset errexit pipefail" ;;
  esac
  echo "send $set_cfg$t/bad.toml"
  echo "send cd $foo; echo \"<<cdrc=$q>>\""
  echo "send cd $other && sh -c 'exit 5'"
  echo "send echo \"<<badrc=$q>>\""
  show s6
  echo "send $set_cfg$t/start.toml"
  echo "send cd $t/plain"
  echo "send /bin/true MVHMARK-start"
  echo "send cd $bar2"
  echo "send cd $foo_too"
  show s7
  echo "send cd $foo"
  echo "send $msg_wait"
  echo "send true"
  echo "send cd $foo/sub"
  echo "send /bin/true MVHMARK-start-end"
  echo "send $set_cfg$t/enter.toml"
  echo "send cd $t/plain"
  echo "send /bin/true MVHMARK-enter"
  echo "send cd $foo"
  echo "send cd $t/plain"
  echo "send cd $foo"
  echo "send cd $bar2"
  echo "send /bin/true MVHMARK-enter-end"
}

# execve calls of PROG (and args matching ARGS_RE) between the marker commands FROM and TO.
count_execs() {
  local log=$1 from=$2 to=$3 re=$4
  awk -v from="\"MVHMARK-$from\"" -v to="\"MVHMARK-$to\"" -v re="$re" '
    /execve\("\/bin\/true"/ && index($0, from) { on = 1; next }
    /execve\("\/bin\/true"/ && index($0, to) { on = 0 }
    on && / execve\(/ && $0 ~ re { n++ }
    END { print n + 0 }' "$log"
}

value() { grep -o "<<$1=[^>\$]*>>" "$2" | head -1 | sed "s/^<<$1=//; s/>>\$//"; }

run_shell() {
  local sh=$1 rc_file argv
  case $sh in
    zsh)
      mkdir -p "$t/zsh"
      rc_file=$t/zsh/.zshrc argv=(env "ZDOTDIR=$t/zsh" zsh -d -i)
      { echo "PS1='MVHPROMPT> '"; echo "setopt warn_create_global"
        echo "eval \"\$('$MVH_BIN' hook zsh)\""; echo "eval \"\$('$MVH_BIN' hook zsh)\""; } >"$rc_file"
      ;;
    bash)
      rc_file=$t/bashrc argv=(bash --noprofile --rcfile "$rc_file" -i)
      # A prompt tool that assigns PROMPT_COMMAND after us (as starship's init does).
      { echo "PS1='MVHPROMPT> '"; echo "PROMPT_COMMAND='__other_tool=1'"
        echo "eval \"\$('$MVH_BIN' hook bash)\""; echo "eval \"\$('$MVH_BIN' hook bash)\""
        echo "PROMPT_COMMAND='__other_tool=2'"; } >"$rc_file"
      ;;
    fish)
      rc_file=$t/rc.fish argv=(fish -N -C "source $rc_file" -i)
      { echo "function fish_prompt; printf 'MVHPROMPT> '; end"
        echo "'$MVH_BIN' hook fish | source"; echo "'$MVH_BIN' hook fish | source"; } >"$rc_file"
      ;;
  esac
  (cd "$t" && steps "$sh" | strace -f -s 4096 -e trace=execve -o "$t/$sh.strace" \
    python3 "$drive" --transcript "$t/$sh.txt" -- "${argv[@]}") || true
}

bin_re="execve\\(\"$MVH_BIN\""
check_shell() {
  local sh=$1 out=$t/$sh.txt log=$t/$sh.strace
  if grep -q "^pty_drive: " "$out"; then
    not_ok "$sh: session ran to the end"
    tail -30 "$out" | sed 's/^/    | /'
  fi
  assert_eq "$sh: marker" "$sh" "$(value hook "$out")"
  assert_eq "$sh: outside a repository" "|" "$(value s0 "$out")"
  assert_eq "$sh: one hook-env per cd although eval'ed twice" 1 \
    "$(count_execs "$log" cd cd-end "$bin_re.*\"hook-env\", \"$sh\"")"
  assert_eq "$sh: repository with a profile" "foo|1" "$(value s1 "$out")"
  assert_eq "$sh: no process at 5 prompts without a cd" 0 "$(count_execs "$log" idle idle-end " execve\\(")"
  assert_eq "$sh: \$? survives the hook" 7 "$(value rc "$out")"
  assert_eq "$sh: repository without a profile" "other|" "$(value s2 "$out")"
  assert_eq "$sh: nothing on stdout from a cd in a command substitution" "[]" "$(value sub "$out")"
  # zsh's chpwd fires in the subshell too; the hook leaves it alone (its variables die with it).
  assert_eq "$sh: hook-env runs for a cd in a command substitution only in fish" \
    "$([ "$sh" = fish ] && echo 1 || echo 0)" "$(count_execs "$log" sub sub-end "$bin_re")"
  # fish runs a command substitution in the shell itself: the cd is real there.
  assert_eq "$sh: variables after the command substitution" \
    "$([ "$sh" = fish ] && echo "foo|1" || echo "other|")" "$(value s3 "$out")"
  assert_eq "$sh: outside again" "|" "$(value s4 "$out")"
  assert_eq "$sh: under nounset/errexit" "foo|1" "$(value s5 "$out")"
  assert_contains "$sh: still alive after errexit" "<<alive>>" "$(cat "$out")"
  assert_not_contains "$sh: no unbound-variable error" "unbound variable" "$(cat "$out")"
  assert_not_contains "$sh: no parameter-not-set error" "parameter not set" "$(cat "$out")"
  assert_not_contains "$sh: no global created by accident" "created globally" "$(cat "$out")"
  assert_eq "$sh: cd status with a broken config" 0 "$(value cdrc "$out")"
  assert_eq "$sh: \$? survives a failing hook-env" 5 "$(value badrc "$out")"
  assert_eq "$sh: variables unset on a config error" "|" "$(value s6 "$out")"
  assert_eq "$sh: one line per cd on a config error" 2 \
    "$(grep -c "^microvm-here: hook: $t/bad.toml:" "$out" || true)"
  assert_eq "$sh: start: one background start, for the trusted repository only" \
    "1 0" "$(count_execs "$log" start start-end "__hook-start\", \"foo\"") $(count_execs "$log" start start-end "__hook-start\", \"bar2\"")"
  # Before the line only what zsh's and fish's PROMPT_SP leave in the transcript ("#   " or "⏎   ",
  # then a carriage return): the line starts at column 0 on the terminal.
  assert_eq "$sh: start: the background failure, on a line of its own before a prompt" 1 \
    "$(grep -c "^[^A-Za-z]*microvm-here: hook: cannot start the VM 'foo': cannot connect to the system bus at unix:path=$t/no-bus" "$out" || true)"
  assert_not_contains "$sh: start: never after a drawn prompt" "MVHPROMPT> microvm-here: hook" "$(cat "$out")"
  assert_eq "$sh: start: a repository whose derived name serves another has no VM" "|" "$(value s7 "$out")"
  assert_eq "$sh: start: the hook never re-points a workspace" "$foo" "$(readlink "$t/ws/foo")"
  assert_eq "$sh: enter: once per shell, trusted repository only" 1 \
    "$(count_execs "$log" enter enter-end "$bin_re, \\[\"$MVH_BIN\"\\]")"
  assert_contains "$sh: enter ran the default command" \
    "microvm-here: error: cannot connect to the system bus at unix:path=$t/no-bus" "$(cat "$out")"
}

# Completions: bash through bash-completion's protocol, fish with `complete -C`, zsh through
# the terminal with TAB.
bash_complete() {
  bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null || true
    source "$1/completions/microvm-here.bash"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _microvm_here; ((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$MVH_SOURCE_DIR" "$@"
}
fish_complete() {
  fish -N -c 'source $argv[1]/completions/microvm-here.fish; complete -C"$argv[2]"' \
    "$MVH_SOURCE_DIR" "$1" | sed 's/\t.*//' | sort | tr '\n' ' '
}
commands_line=$("$MVH_BIN" __complete commands | cut -f1 | sort | tr '\n' ' ')

test_completions() {
  local sh=$1
  case $sh in
    bash)
      assert_eq "bash: complete commands and profile names" "$(printf '%s\n' $commands_line foo bar2 | sort | tr '\n' ' ')" "$(bash_complete microvm-here "")"
      assert_eq "bash: complete list options" "--config --help --json --names --nixfiles --quiet --verbose --version " "$(bash_complete microvm-here list --)"
      assert_eq "bash: complete profile names" "bar2 foo " "$(bash_complete microvm-here stop "")"
      assert_eq "bash: one NAME only" "" "$(bash_complete microvm-here stop foo "")"
      assert_eq "bash: complete shells" "bash fish zsh " "$(bash_complete microvm-here hook "")"
      assert_eq "bash: an option's value is skipped" "bar2 foo " "$(bash_complete microvm-here logs -n 5 "")"
      assert_eq "bash: complete DIR values" "$t/plain " "$(bash_complete microvm-here --nixfiles "$t/pl")"
      ;;
    fish)
      assert_eq "fish: complete commands and profile names" "$(printf '%s\n' $commands_line foo bar2 | sort | tr '\n' ' ')" "$(fish_complete "microvm-here ")"
      assert_eq "fish: complete list options" "--config --help --json --names --nixfiles --quiet --verbose --version " "$(fish_complete "microvm-here list --")"
      assert_eq "fish: complete profile names" "bar2 foo " "$(fish_complete "microvm-here stop ")"
      assert_eq "fish: one NAME only" "" "$(fish_complete "microvm-here stop foo ")"
      assert_eq "fish: complete shells" "bash fish zsh " "$(fish_complete "microvm-here hook ")"
      assert_eq "fish: an option's value is skipped" "bar2 foo " "$(fish_complete "microvm-here logs -n 5 ")"
      assert_eq "fish: complete DIR values" "$t/plain/ " "$(fish_complete "microvm-here trust $t/pl")"
      ;;
    zsh)
      mkdir -p "$t/zc"
      { echo "PS1='MVHPROMPT> '"; echo "fpath=('$MVH_SOURCE_DIR/completions' \$fpath)"
        echo "autoload -Uz compinit && compinit -u -d '$t/zcompdump'"; } >"$t/zc/.zshrc"
      printf '%s\n' 'type microvm-here \t' 'wait untrust' 'sleep 0.3' 'type \x03' 'wait MVHPROMPT> ' \
        'type microvm-here list --\t' 'wait --version' 'sleep 0.3' 'type \x03' 'wait MVHPROMPT> ' \
        'type microvm-here stop b\t' 'wait stop bar2' 'type \x03' 'wait MVHPROMPT> ' \
        'type microvm-here hook \t' 'wait fish' 'sleep 0.3' 'type \x03' 'wait MVHPROMPT> ' \
        "type microvm-here trust $t/pl\\t" 'wait plain/' 'type \x03' 'wait MVHPROMPT> ' |
        (cd "$t" && ZDOTDIR=$t/zc python3 "$drive" --transcript "$t/zc.txt" -- zsh -d -i) || true
      local out
      out=$(tr -s ' ' <"$t/zc.txt")
      if grep -q "^pty_drive: " "$t/zc.txt"; then not_ok "zsh: completion session ran to the end"; fi
      for c in $commands_line; do assert_contains "zsh: complete command $c" "$c -- " "$out"; done
      assert_contains "zsh: complete profile names with the commands" "bar2 foo" "$out"
      assert_contains "zsh: complete options" "--json -- print JSON" "$out"
      assert_contains "zsh: complete global options" "--nixfiles -- use DIR" "$out"
      assert_contains "zsh: complete a profile name" "microvm-here stop bar2 " "$out"
      assert_contains "zsh: complete shells" "bash fish zsh" "$out"
      assert_contains "zsh: complete a directory" "microvm-here trust $t/plain/" "$out"
      ;;
  esac
}

ran=0
for sh in zsh bash fish; do
  if ! command -v "$sh" >/dev/null; then
    echo "SKIP: $sh is not installed"
    continue
  fi
  ran=$((ran + 1))
  before=$_mvh_fail
  run_shell "$sh"
  check_shell "$sh"
  test_completions "$sh"
  echo "== $sh: $([ "$_mvh_fail" -eq "$before" ] && echo ok || echo "$((_mvh_fail - before)) failed")"
done
[ "$ran" -gt 0 ] || skip "none of zsh, bash, fish is installed"
finish
