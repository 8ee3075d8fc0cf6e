#!/usr/bin/env bash
# What the shells run must be only what we wrote (README "Threat model"):
# 1. TAB runs nothing: profiles.nix (which a shared nixfiles repository may hold) names profiles
#    "$(touch …)" and "`touch …`"; `list --names` prints only valid VM names and warns about the
#    rest (file and line), and `microvm-here stop <TAB>` in real bash, zsh and fish (through a
#    pseudo-terminal) creates no file. The completion scripts themselves never evaluate a
#    candidate: with a stand-in binary that prints hostile words, they are offered literally.
# 2. `microvm-here hook SHELL` from a binary whose path holds a newline: eval'ing its output
#    runs nothing but the hook (a comment line must not end early and become code).
# labels: shells
# timeout: 300
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v python3 >/dev/null || skip "python3 is missing"

t=$(scratch_dir hostile-shells)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_DATA_HOME=$t/data
export XDG_CACHE_HOME=$t/cache XDG_RUNTIME_DIR=$t/run TERM=xterm
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE MICROVM_HERE_HOOK MICROVM_HERE_HOOK_PID PROMPT_COMMAND
mkdir -p "$HOME" "$t/bin" "$t/stub" "$t/nix"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
ln -s "$MVH_BIN" "$t/bin/microvm-here"
export PATH=$t/bin:$PATH
drive=$MVH_SOURCE_DIR/tests/harness/pty_drive.py
profiles=$t/nix/profiles.nix
esc=$'\e'
{
  echo '{ }:'
  echo '{'
  echo '  foo = { ipAddress = "127.83.0.5"; tapId = "microvm1"; mac = "02:00:00:00:00:05"; };'
  echo '  "$(touch$IFS$HOME/PWNED)" = { };'
  echo '  "`touch $HOME/PWNED`" = { };'
  echo "  \"x${esc}]0;title${esc}\\\\\" = { };"
  echo '}'
} >"$profiles"
printf 'nixfiles = "%s"\nprofiles = "profiles.nix"\n' "$t/nix" >"$t/config.toml"
export MICROVM_HERE_CONFIG=$t/config.toml
pwned=$HOME/PWNED
rule="it is not a valid VM name (1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit); rename it in that file"

run_capture "$MVH_BIN" list --names
assert_eq "list --names: only the valid name" "0 foo" "$rc $out"
assert_eq "list --names: one warning per other name, with file and line" \
  "microvm-here: warning: $profiles:4: skipping the profile \"\$(touch\$IFS\$HOME/PWNED)\": $rule
microvm-here: warning: $profiles:5: skipping the profile \"\`touch \$HOME/PWNED\`\": $rule
microvm-here: warning: $profiles:6: skipping the profile \"x\\x1b]0;title\\x1b\\\\\": $rule" "$err"

# A stand-in that prints hostile words as profile names (an older or other binary): the scripts
# must offer them literally, evaluating nothing.
{
  echo '#!/bin/sh'
  echo 'if [ "$1" = list ]; then'
  printf '  printf "%%s\\n" foo %q %q %q\n' "\$(touch\$IFS$pwned-stub)" "\`touch $pwned-stub\`" \
    "\${x:=\$(touch $pwned-stub)}"
  echo '  exit 0'
  echo 'fi'
  printf 'exec %q "$@"\n' "$MVH_BIN"
} >"$t/stub/microvm-here"
chmod +x "$t/stub/microvm-here"

bash_complete() {
  bash -c 'source "$1/completions/microvm-here.bash"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _microvm_here; printf "[%s]" "${COMPREPLY[@]}"' _ "$MVH_SOURCE_DIR" "$@"
}
assert_eq "bash (function): a stand-in's hostile words are offered literally" \
  "[foo][\$(touch\$IFS$pwned-stub)][\`touch $pwned-stub\`][\${x:=\$(touch $pwned-stub)}]" \
  "$(PATH=$t/stub:$PATH bash_complete microvm-here stop "")"
assert_eq "bash (function): a prefix is matched as a plain string" "[\$(touch\$IFS$pwned-stub)]" \
  "$(PATH=$t/stub:$PATH bash_complete microvm-here stop '$(')"
if [ ! -e "$pwned-stub" ]; then ok "bash (function): nothing ran"; else not_ok "bash (function): nothing ran"; fi
rm -f -- "$pwned-stub"
if command -v fish >/dev/null; then
  got=$(PATH=$t/stub:$PATH fish -N -c 'source $argv[1]/completions/microvm-here.fish; complete -C"microvm-here stop "' \
    "$MVH_SOURCE_DIR" | sed 's/\t.*//' | LC_ALL=C sort | tr '\n' ' ')
  assert_eq "fish (complete -C): a stand-in's hostile words are offered literally" \
    "\$(touch\$IFS$pwned-stub) \${x:=\$(touch $pwned-stub)} \`touch $pwned-stub\` foo " "$got"
  if [ ! -e "$pwned-stub" ]; then ok "fish (complete -C): nothing ran"; else not_ok "fish (complete -C): nothing ran"; fi
fi

# TAB in real interactive shells, with the real binary (and then the stand-in).
tab_session() {
  local sh=$1 stubbed=$2 argv path=$t/bin:$PATH
  if [ "$stubbed" = 1 ]; then path=$t/stub:$PATH; fi
  case $sh in
    bash)
      printf '%s\n' "PS1='MVHPROMPT> '" "source '$MVH_SOURCE_DIR/completions/microvm-here.bash'" >"$t/bashrc"
      argv=(bash --noprofile --rcfile "$t/bashrc" -i) ;;
    zsh)
      mkdir -p "$t/zc"
      printf '%s\n' "PS1='MVHPROMPT> '" "fpath=('$MVH_SOURCE_DIR/completions' \$fpath)" \
        "autoload -Uz compinit && compinit -u -d '$t/zcompdump'" >"$t/zc/.zshrc"
      argv=(env "ZDOTDIR=$t/zc" zsh -d -i) ;;
    fish)
      printf '%s\n' "function fish_prompt; printf 'MVHPROMPT> '; end" \
        "source '$MVH_SOURCE_DIR/completions/microvm-here.fish'" >"$t/rc.fish"
      argv=(fish -N -C "source $t/rc.fish" -i) ;;
  esac
  printf '%s\n' 'type microvm-here stop \t' 'sleep 1' 'type \t' 'sleep 1' 'type \x03' \
    'wait MVHPROMPT> ' 'send echo "<<done>>"' |
    (cd "$t" && PATH=$path python3 "$drive" --transcript "$t/$sh-$stubbed.txt" -- "${argv[@]}") || true
  assert_contains "$sh: TAB session ran to the end (stand-in: $stubbed)" "<<done>>" "$(cat "$t/$sh-$stubbed.txt")"
}
for sh in bash zsh fish; do
  if ! command -v "$sh" >/dev/null; then
    echo "SKIP: $sh is not installed"
    continue
  fi
  tab_session "$sh" 0
  assert_contains "$sh: TAB completes the valid name" "microvm-here stop foo" "$(cat "$t/$sh-0.txt")"
  if [ ! -e "$pwned" ]; then ok "$sh: TAB ran nothing from profiles.nix"; else not_ok "$sh: TAB ran nothing from profiles.nix"; fi
  tab_session "$sh" 1
  if [ ! -e "$pwned-stub" ]; then ok "$sh: TAB ran nothing a stand-in printed"; else not_ok "$sh: TAB ran nothing a stand-in printed"; fi
  rm -f -- "$pwned" "$pwned-stub"
done

# The hook of a binary whose path holds a newline and shell code.
odd="$t/odd"$'\n'"touch $t/PWNED-hook #"
mkdir -p -- "$odd"
ln -- "$MVH_BIN" "$odd/microvm-here" 2>/dev/null || cp -- "$MVH_BIN" "$odd/microvm-here"
for sh in bash zsh fish; do
  command -v "$sh" >/dev/null || continue
  rm -f -- "$t/PWNED-hook"
  "$odd/microvm-here" hook "$sh" >"$t/hook.$sh"
  assert_contains "$sh: the hook names the binary by its quoted path" "'$odd/microvm-here'" \
    "$(cat "$t/hook.$sh")"
  case $sh in
    bash) bash -c 'eval "$(cat "$1")"' _ "$t/hook.bash" || true ;;
    zsh) zsh -f -c 'eval "$(cat "$1")"' _ "$t/hook.zsh" || true ;;
    fish) fish -N -c 'source $argv[1]' "$t/hook.fish" || true ;;
  esac
  if [ ! -e "$t/PWNED-hook" ]; then
    ok "$sh: eval'ing the hook runs nothing from the binary's path"
  else
    not_ok "$sh: eval'ing the hook runs nothing from the binary's path"
  fi
done
finish
