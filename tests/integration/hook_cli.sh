#!/usr/bin/env bash
# The shell-integration commands without a terminal: `hook` (the binary's own path, quoted, in
# the printed script; the installed files fall back to PATH), the exact `hook-env` output per
# shell, its one-line errors, `trust`/`untrust`, and `doctor`'s report and exit status.
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/config XDG_STATE_HOME=$t/state XDG_RUNTIME_DIR=$t/run
unset MICROVM_HERE_NAME MICROVM_HERE_PROFILE MICROVM_HERE_HOOK MICROVM_HERE_HOOK_PID
mkdir -p "$HOME/.ssh" "$t/nix" "$t/ws" "$t/plain"
cat >"$t/nix/profiles.nix" <<'EOF'
{ }:
{
  foo = {
    ipAddress = "127.83.0.5";
    tapId = "microvm1";
    mac = "02:00:00:00:00:05";
  };
}
EOF
cat >"$t/config.toml" <<EOF
nixfiles = "$t/nix"
profiles = "profiles.nix"
subnet = "127.83.0.0/24"
workspaces = "$t/ws"
EOF
export MICROVM_HERE_CONFIG=$t/config.toml
foo=$t/repos/foo other=$t/repos/other
mkdir -p "$foo/sub" "$other"
git -C "$foo" init -q
git -C "$other" init -q

# hook: the script with this binary's path, quoted for the shell.
mkdir -p "$t/my bin"
cp "$MVH_BIN" "$t/my bin/microvm-here"
for sh in zsh bash; do
  run_capture "$t/my bin/microvm-here" hook $sh
  assert_eq "hook $sh exit" 0 "$rc"
  assert_contains "hook $sh calls this binary" "_bin='$t/my bin/microvm-here'" "$out"
  # Comment lines keep it: a path there could end the comment (README "Shell integration").
  assert_not_contains "hook $sh has no placeholder left in code" "@MICROVM_HERE@" \
    "$(grep -v '^[[:space:]]*#' <<<"$out")"
done
run_capture "$t/my bin/microvm-here" hook fish
assert_contains "hook fish calls this binary" "set -g __microvm_here_bin '$t/my bin/microvm-here'" "$out"
run_capture "$MVH_BIN" hook tcsh
assert_eq "hook tcsh exit" 2 "$rc"
assert_eq "hook tcsh message" "microvm-here: error: no hook for the shell 'tcsh'; microvm-here has hooks for zsh, bash and fish" "$err"
run_capture "$MVH_BIN" hook
assert_eq "hook without a shell" "microvm-here: error: 'microvm-here hook' needs a shell: zsh, bash or fish, e.g. eval \"\$(microvm-here hook zsh)\"" "$err"
# The installed files, sourced as they are, call `microvm-here` from PATH.
run_capture bash --norc -ic "source '$MVH_SOURCE_DIR/shell/microvm-here.bash'; echo \$__microvm_here_bin"
assert_eq "installed bash file falls back to PATH" "microvm-here" "$out"
if command -v zsh >/dev/null; then
  run_capture zsh -f -ic "source '$MVH_SOURCE_DIR/shell/microvm-here.zsh' 2>/dev/null; echo \$_microvm_here_bin"
  assert_eq "installed zsh file falls back to PATH" "microvm-here" "$out"
fi
# Non-interactive shells install nothing.
run_capture bash -c "eval \"\$('$MVH_BIN' hook bash)\"; echo \"[\${MICROVM_HERE_HOOK-}|\${PROMPT_COMMAND-}]\""
assert_eq "no hook in a non-interactive bash" "[|]" "$out"

# hook-env: exact output per shell, and only changes.
cd "$foo/sub"
run_capture "$MVH_BIN" hook-env zsh
assert_eq "hook-env zsh in a repo with a profile" $'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1' "$out"
assert_eq "hook-env zsh is silent on stderr" "" "$err"
run_capture "$MVH_BIN" hook-env fish
assert_eq "hook-env fish in a repo with a profile" $'set -gx MICROVM_HERE_NAME foo\nset -gx MICROVM_HERE_PROFILE 1' "$out"
run_capture env MICROVM_HERE_NAME=foo MICROVM_HERE_PROFILE=1 "$MVH_BIN" hook-env bash
assert_eq "hook-env bash with nothing to change" "" "$out"
cd "$other"
run_capture env MICROVM_HERE_NAME=foo MICROVM_HERE_PROFILE=1 "$MVH_BIN" hook-env bash
assert_eq "hook-env bash in a repo without a profile" $'export MICROVM_HERE_NAME=other\nunset MICROVM_HERE_PROFILE' "$out"
cd "$t/plain"
run_capture env MICROVM_HERE_NAME=foo MICROVM_HERE_PROFILE=1 "$MVH_BIN" hook-env fish
assert_eq "hook-env fish outside a repo" $'set -e MICROVM_HERE_NAME\nset -e MICROVM_HERE_PROFILE' "$out"
cd "$foo"
printf 'nixfiles = [\n' >"$t/bad.toml"
run_capture env MICROVM_HERE_CONFIG=$t/bad.toml MICROVM_HERE_NAME=foo MICROVM_HERE_PROFILE=1 "$MVH_BIN" hook-env bash
assert_eq "hook-env with a broken config unsets" $'unset MICROVM_HERE_NAME\nunset MICROVM_HERE_PROFILE' "$out"
assert_eq "hook-env with a broken config: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
assert_contains "hook-env with a broken config names it" "microvm-here: hook: $t/bad.toml:1:" "$err"
cp "$t/nix/profiles.nix" "$t/nix/good.nix"
printf '{ foo = { ipAddress = "127.83.0.5" ' >"$t/nix/profiles.nix"
run_capture "$MVH_BIN" hook-env zsh
assert_eq "hook-env with a broken profiles.nix prints no code" "" "$out"
assert_contains "hook-env with a broken profiles.nix: one line naming it" "microvm-here: hook: $t/nix/profiles.nix:1:" "$err"
assert_eq "hook-env with a broken profiles.nix: exactly one line" 1 "$(printf '%s\n' "$err" | wc -l)"
# Values that only Nix can compute: the names are still literal, and nothing is evaluated.
mkdir -p "$t/spy"
printf '#!/bin/sh\ntouch "%s/spy/ran"\n' "$t" >"$t/spy/nix-instantiate"
chmod +x "$t/spy/nix-instantiate"
printf '{ }: let base = "127.83.0."; in { foo = { ipAddress = base + "5"; }; }\n' >"$t/nix/profiles.nix"
run_capture env PATH="$t/spy:$PATH" "$MVH_BIN" hook-env bash
assert_eq "hook-env: a literal name with computed values" $'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1' "$out"
printf 'import ./good.nix\n' >"$t/nix/profiles.nix"
run_capture env PATH="$t/spy:$PATH" "$MVH_BIN" hook-env bash
assert_eq "hook-env: a profiles.nix only Nix can read counts as no profile" "export MICROVM_HERE_NAME=foo" "$out"
assert_eq "hook-env: ... without a message" "" "$err"
assert_eq "hook-env never runs nix-instantiate" "no" "$([ -e "$t/spy/ran" ] && echo yes || echo no)"
mv "$t/nix/good.nix" "$t/nix/profiles.nix"
run_capture "$MVH_BIN" hook-env ksh
assert_eq "hook-env with an unknown shell" "microvm-here: hook-env needs a shell: zsh, bash or fish" "$err"
assert_eq "hook-env with an unknown shell prints no code" "" "$out"

# hook = "enter" in a trusted repository asks for the enter at the next prompt.
sed 's/^subnet.*/&\nhook = "enter"/' "$t/config.toml" >"$t/enter.toml"
run_capture env MICROVM_HERE_CONFIG=$t/enter.toml "$MVH_BIN" hook-env bash
assert_eq "enter mode, untrusted" $'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1\nunset __microvm_here_enter' "$out"

# trust / untrust
run_capture "$MVH_BIN" trust
assert_eq "trust ." "microvm-here: trusted $foo: the shell hook may now start or enter its VM (config 'hook' = \"start\" or \"enter\"); undo with: microvm-here untrust" "$err"
run_capture "$MVH_BIN" trust sub
assert_eq "trust again" "microvm-here: $foo is already trusted; nothing changed" "$err"
run_capture env MICROVM_HERE_CONFIG=$t/enter.toml "$MVH_BIN" hook-env zsh
assert_eq "enter mode, trusted" $'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1\ntypeset -g __microvm_here_enter=foo' "$out"
# hook = "start": what can be checked before the prompt fails there, one line, nothing spawned.
sed 's/^subnet.*/&\nhook = "start"\nstate_dir = "'"${t//\//\\/}"'\/vms"/' "$t/config.toml" >"$t/start.toml"
run_capture env MICROVM_HERE_CONFIG=$t/start.toml "$MVH_BIN" hook-env bash
assert_eq "start mode, not built: one line before the prompt" "1|microvm-here: hook: cannot start the VM 'foo': it is not built yet; run 'microvm-here' in $foo once" "$rc|$err"
assert_eq "start mode, not built: the variables" $'export MICROVM_HERE_NAME=foo\nexport MICROVM_HERE_PROFILE=1' "$out"
mkdir -p "$t/vms/foo/current/bin" && printf '#!/bin/sh\n' >"$t/vms/foo/current/bin/microvm-run"
chmod +x "$t/vms/foo/current/bin/microvm-run"
run_capture env MICROVM_HERE_CONFIG=$t/start.toml "$MVH_BIN" hook-env bash
assert_eq "start mode, built, no workspace: the hook makes none" "1|microvm-here: hook: cannot start the VM 'foo': its workspace is not this repository and the hook never changes it; run 'microvm-here' in $foo once" "$rc|$err"
[ ! -e "$t/ws/foo" ] && ok "start mode: no link made" || not_ok "start mode: no link made"
run_capture "$MVH_BIN" trust "$t/plain"
assert_eq "trust outside a repo exit" 2 "$rc"
assert_eq "trust outside a repo" "microvm-here: error: '$t/plain' is not inside a git repository; 'trust' takes a repository (cd into one or pass its path)" "$err"
run_capture "$MVH_BIN" untrust "$foo/sub"
assert_eq "untrust" "microvm-here: untrusted $foo: the shell hook will no longer start or enter its VM" "$err"
run_capture "$MVH_BIN" untrust "$foo"
assert_eq "untrust again" "microvm-here: $foo was not trusted; nothing changed" "$err"
printf '%s\n' "$t/gone" >>"$XDG_STATE_HOME/microvm-here/trusted"
run_capture "$MVH_BIN" untrust "$t/gone/"
assert_eq "untrust a repository that no longer exists" "microvm-here: untrusted $t/gone: the shell hook will no longer start or enter its VM" "$err"
assert_eq "trust list empty again" "" "$(cat "$XDG_STATE_HOME/microvm-here/trusted")"

# doctor
cat >"$HOME/.ssh/config" <<'EOF'
Host microvm-foo
  HostName 127.83.0.5
  User me
EOF
mkdir -p "$t/pathbin"
for p in ssh sudo just; do printf '#!/bin/sh\n' >"$t/pathbin/$p"; chmod +x "$t/pathbin/$p"; done
run_capture env PATH="$t/pathbin" MICROVM_HERE_HOOK=bash MICROVM_HERE_HOOK_PID=$$ "$MVH_BIN" doctor
assert_eq "doctor exit when all is well" 0 "$rc"
assert_contains "doctor config" "ok   config $t/config.toml" "$out"
assert_contains "doctor nixfiles" "ok   nixfiles $t/nix" "$out"
assert_contains "doctor rebuild" "ok   rebuild just switch" "$out"
assert_contains "doctor profiles" "ok   profiles $t/nix/profiles.nix (1 profile)" "$out"
assert_contains "doctor workspaces" "ok   workspaces $t/ws (writable)" "$out"
assert_contains "doctor ssh" "ok   ssh $t/pathbin/ssh" "$out"
assert_contains "doctor ssh alias" "ok   ssh alias microvm-foo -> 127.83.0.5:22" "$out"
assert_contains "doctor hook" "ok   shell hook installed (bash)" "$out"
run_capture env PATH="$t/pathbin" MICROVM_HERE_HOOK=zsh MICROVM_HERE_HOOK_PID=1 "$MVH_BIN" doctor
assert_contains "doctor: hook of a parent shell" "warn shell hook: installed in a parent zsh (pid 1), not in this shell; fix: add" "$out"
rm -r "$t/ws" "$t/pathbin/ssh"
run_capture env PATH="$t/pathbin" "$MVH_BIN" doctor
assert_eq "doctor exit with a FAIL" 1 "$rc"
assert_contains "doctor: missing workspaces" "FAIL workspaces $t/ws: does not exist; fix: create it (the NixOS module does) or set 'workspaces' in $t/config.toml" "$out"
assert_contains "doctor: missing ssh" "FAIL ssh: 'ssh' is not on PATH; fix: install the OpenSSH client (Debian: openssh-client) or set 'ssh' in $t/config.toml" "$out"
assert_contains "doctor: no hook" "warn shell hook: not installed in this shell; fix: add" "$out"
cd "$t/plain"
run_capture env MICROVM_HERE_CONFIG=$t/bad.toml "$MVH_BIN" doctor
assert_eq "doctor exit with a broken config" 1 "$rc"
assert_contains "doctor: broken config" "FAIL config: $t/bad.toml:1:" "$out"
assert_contains "doctor: skips what needs the config" "skip nixfiles, profiles, workspaces, ssh: they depend on the config" "$out"
finish
