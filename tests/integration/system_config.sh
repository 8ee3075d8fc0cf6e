#!/usr/bin/env bash
# Where the configuration comes from: --config > $MICROVM_HERE_CONFIG > the user's XDG file >
# /etc/microvm-here/config.toml (the NixOS module's; $MICROVM_HERE_SYSTEM_CONFIG stands in for
# that path here, since a test must not write /etc) > the defaults. Each layer is checked by what
# the binary does with it: `doctor` names the file it read, `list --names` reads the profiles of
# that file's nixfiles, and a broken file is reported with its own path and line.
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
t=$(mktemp -d)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_CONFIG_HOME=$t/xdg XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state
unset MICROVM_HERE_CONFIG
export MICROVM_HERE_SYSTEM_CONFIG=$t/etc/microvm-here/config.toml
mkdir -p "$HOME" "$t/etc/microvm-here" "$XDG_CONFIG_HOME/microvm-here"

# One nixfiles per layer, each with a distinct profile, so `list --names` tells which was read.
for layer in system user env flag; do
  mkdir -p "$t/$layer/vms"
  printf '{ }:\n{\n  from-%s = {\n    ipAddress = "127.83.9.2";\n    tapId = "microvm1";\n    mac = "02:00:00:00:00:02";\n  };\n}\n' \
    "$layer" >"$t/$layer/vms/profiles.nix"
done
config_for() {
  printf 'nixfiles = "%s"\nprofiles = "vms/profiles.nix"\nsubnet = "127.83.9.0/24"\ngateway = "127.83.9.1"\n' "$t/$1"
}
cd "$t"

# Nothing anywhere: the defaults, and doctor says so.
run_capture "$MVH_BIN" doctor
assert_contains "no file: doctor reports the defaults" "ok   config (no file: the defaults)" "$out"

# Only the system file.
config_for system >"$MICROVM_HERE_SYSTEM_CONFIG"
run_capture "$MVH_BIN" list --names
assert_eq "system config: list reads its nixfiles" "from-system" "$out"
assert_eq "system config: exit" 0 "$rc"
run_capture "$MVH_BIN" doctor
assert_contains "system config: doctor names it" "ok   config $MICROVM_HERE_SYSTEM_CONFIG" "$out"

# The user's XDG file beats the system file.
config_for user >"$XDG_CONFIG_HOME/microvm-here/config.toml"
run_capture "$MVH_BIN" list --names
assert_eq "XDG file beats the system file" "from-user" "$out"

# $MICROVM_HERE_CONFIG beats both, --config beats it.
config_for env >"$t/env.toml"
config_for flag >"$t/flag.toml"
run_capture env MICROVM_HERE_CONFIG="$t/env.toml" "$MVH_BIN" list --names
assert_eq "MICROVM_HERE_CONFIG beats the XDG file" "from-env" "$out"
run_capture env MICROVM_HERE_CONFIG="$t/env.toml" "$MVH_BIN" --config "$t/flag.toml" list --names
assert_eq "--config beats MICROVM_HERE_CONFIG" "from-flag" "$out"

# A broken system file is an error naming it (it is not skipped for the defaults).
rm "$XDG_CONFIG_HOME/microvm-here/config.toml"
printf 'nixfiles = "%s"\nsubnet = "127.83.9.0/33"\n' "$t/system" >"$MICROVM_HERE_SYSTEM_CONFIG"
run_capture "$MVH_BIN" list --names
assert_eq "broken system config: exit 3" 3 "$rc"
assert_contains "broken system config: names file and line" \
  "microvm-here: error: $MICROVM_HERE_SYSTEM_CONFIG:2:" "$err"

# A missing system file (the machine has no module) falls through to the defaults silently,
# while a missing file named explicitly is an error.
rm "$MICROVM_HERE_SYSTEM_CONFIG"
run_capture "$MVH_BIN" doctor
assert_contains "missing system file: the defaults" "ok   config (no file: the defaults)" "$out"
run_capture env MICROVM_HERE_CONFIG="$t/nope.toml" "$MVH_BIN" list --names
assert_eq "missing MICROVM_HERE_CONFIG file: exit 3" 3 "$rc"
assert_eq "missing MICROVM_HERE_CONFIG file: message" \
  "microvm-here: error: configuration file $t/nope.toml does not exist; create it or point --config / MICROVM_HERE_CONFIG at an existing file" \
  "$err"

# The layers merge key by key: a one-line user file keeps the system file's other keys, and
# doctor shows where each value comes from.
config_for system >"$MICROVM_HERE_SYSTEM_CONFIG"
printf 'hook = "start"\n' >"$XDG_CONFIG_HOME/microvm-here/config.toml"
run_capture "$MVH_BIN" list --names
assert_eq "a one-line user file keeps the system's nixfiles" "from-system" "$out"
run_capture "$MVH_BIN" doctor
assert_contains "doctor: both files" \
  "ok   config $XDG_CONFIG_HOME/microvm-here/config.toml over $MICROVM_HERE_SYSTEM_CONFIG" "$out"
assert_contains "doctor: hook from the user file" \
  "     hook = \"start\"  ($XDG_CONFIG_HOME/microvm-here/config.toml:1)" "$out"
assert_contains "doctor: nixfiles from the system file" \
  "     nixfiles = \"$t/system\"  ($MICROVM_HERE_SYSTEM_CONFIG:1)" "$out"
assert_contains "doctor: a default" "     ssh_port = 22  (default)" "$out"
# --config FILE and MICROVM_HERE_CONFIG replace the user's file, and layer over the system's.
printf 'boot_timeout = 7\n' >"$t/env1.toml"
run_capture env MICROVM_HERE_CONFIG="$t/env1.toml" "$MVH_BIN" list --names
assert_eq "MICROVM_HERE_CONFIG layers over the system file" "from-system" "$out"
run_capture "$MVH_BIN" --config "$t/env1.toml" --nixfiles "$t/flag" doctor
assert_contains "doctor: --config over the system file" "ok   config $t/env1.toml over $MICROVM_HERE_SYSTEM_CONFIG" "$out"
assert_contains "doctor: --nixfiles" "     nixfiles = \"$t/flag\"  (--nixfiles)" "$out"
assert_contains "doctor: boot_timeout from --config" "     boot_timeout = 7  ($t/env1.toml:1)" "$out"
assert_contains "doctor: hook from neither: the default" "     hook = \"status\"  (default)" "$out"
# A fix names the file that set the key.
printf 'nixfiles = "%s"\n' "$t/missing" >"$MICROVM_HERE_SYSTEM_CONFIG"
run_capture "$MVH_BIN" doctor
assert_contains "doctor: the fix names the file that set nixfiles" \
  "FAIL nixfiles $t/missing: no such directory; fix: set 'nixfiles' in $MICROVM_HERE_SYSTEM_CONFIG or pass --nixfiles DIR" "$out"
finish
