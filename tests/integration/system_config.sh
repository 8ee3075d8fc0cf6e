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

finish
