#!/usr/bin/env bash
# labels: nix
# timeout: 120
# Proves, without nixpkgs: nix/lib.nix, which the modules deploy from, produces the exact expected
# config.toml text, tmpfiles line and shell init lines (tests/nix/lib_cases.nix); Python's
# tomllib reads each rendered TOML back as the settings it came from (escapes, quoted keys,
# tables); invalid values throw messages that name the option to fix. The polkit rule's behaviour
# is nix_polkit.sh's, the modules' use of these functions nix_modules.sh's.
set -euo pipefail
. "${MVH_SOURCE_DIR:?MVH_SOURCE_DIR is not set: run this through ctest}/tests/nix/common.sh"
need nix-instantiate "Debian: apt-get install nix-bin"
need python3 "Debian: apt-get install python3"
if ! python3 -c 'import tomllib' 2>/dev/null; then
  echo "SKIP: python3 has no tomllib (needs Python 3.11 or newer)"
  exit 77
fi

cd "$MVH_SOURCE_DIR"
echo "== tests/nix/lib_cases.nix"
if ! json=$(eval_json tests/nix/lib_cases.nix); then
  echo "FAIL tests/nix/lib_cases.nix did not evaluate (the error is above)"
  exit 1
fi
status=0
printf '%s' "$json" | python3 tests/nix/check_cases.py || status=1

echo "== error messages"
passed=0 failed=0
# expect_error EXPR MESSAGE: evaluating EXPR (with mvh = nix/lib.nix) fails and says MESSAGE.
expect_error() {
  local err
  if err=$(nix_instantiate --eval --strict -E "let mvh = import ./nix/lib.nix; in $1" 2>&1); then
    echo "FAIL $1 evaluated to $err instead of failing"
    failed=$((failed + 1))
  elif [[ $err == *"$2"* ]]; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    printf 'FAIL %s\n  expected the message: %s\n  got: %s\n' "$1" "$2" "$err"
    failed=$((failed + 1))
  fi
}
expect_error 'mvh.toTOML { boot_timeout = 1.5; }' \
  'programs.microvm-here.settings.boot_timeout: floats are not supported (no setting of microvm-here takes one); write an integer or a string.'
expect_error 'mvh.toTOML { t = { y = null; }; }' \
  'programs.microvm-here.settings.t.y: a null cannot be written to TOML; use a string, an integer, a boolean or a list of those.'
expect_error 'mvh.toTOML { ssh = [ { a = 1; } ]; }' \
  'programs.microvm-here.settings.ssh: a table inside a list is not supported; use a table of its own.'
expect_error 'mvh.tmpfilesRule { path = "var/ws"; }' \
  'programs.microvm-here: the workspace directory must be an absolute path without whitespace (settings.workspaces), got "var/ws".'
expect_error 'mvh.polkitRule { group = "Users"; }' \
  'programs.microvm-here.group must be a valid group name (lower case letters, digits, _ and -, at most 32 characters), got "Users".'
expect_error 'mvh.shellInit { shell = "tcsh"; package = "/nix/store/x"; }' \
  'programs.microvm-here: no shell hook for "tcsh"; supported: zsh, bash, fish.'
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]] || status=1

# The README text states the grants by quoting the deployed rule and tmpfiles line: it must
# quote them exactly.
echo "== nix/README-snippet.md quotes what is deployed"
if ! texts=$(nix_instantiate --eval --strict --json \
  -E 'let mvh = import ./nix/lib.nix; in { rule = mvh.polkitRule { }; tmpfiles = mvh.tmpfilesRule { }; }'); then
  echo "FAIL the default polkit rule and tmpfiles line did not evaluate (the error is above)"
  exit 1
fi
printf '%s' "$texts" | python3 -c '
import json, re, sys, textwrap
want = json.load(sys.stdin)
doc = open("nix/README-snippet.md", encoding="utf-8").read()
blocks = [textwrap.dedent(b) for b in re.findall(r"```[a-z]*\n(.*?)^[ ]*```", doc, re.S | re.M)]
failed = 0
for name, text in (("polkit rule", want["rule"]), ("tmpfiles line", want["tmpfiles"] + "\n")):
    if text in blocks:
        print(f"ok   the {name} is quoted verbatim")
    else:
        failed += 1
        print(f"FAIL nix/README-snippet.md has no code block equal to the deployed {name}:\n{text}")
print(f"{2 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
' || status=1
exit "$status"
