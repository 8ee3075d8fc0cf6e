# The test of tests/integration/nix_polkit.sh: the rule the NixOS module deploys, run under node
# as polkitd runs rules, for the default group and another one.
{
  runCommand,
  writeText,
  nodejs,
}:
let
  mvh = import ../lib.nix;
  rules = group: writeText "microvm-here-${group}.rules" (mvh.polkitRule { inherit group; });
  test = ../../tests/nix/polkit_test.js;
in
runCommand "microvm-here-polkit-rule" { nativeBuildInputs = [ nodejs ]; } ''
  node ${test} ${rules "microvm-here"} microvm-here
  node ${test} ${rules "vmusers"} vmusers
  touch "$out"
''
