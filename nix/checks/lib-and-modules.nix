# The cases of tests/integration/nix_lib_eval.sh and nix_modules.sh, evaluated by the flake's Nix
# and compared (and the TOML read back by tomllib) by the same tests/nix/check_cases.py.
{
  runCommand,
  python3,
}:
let
  lib = import ../../tests/nix/lib_cases.nix;
  modules = import ../../tests/nix/module_cases.nix;
in
runCommand "microvm-here-lib-and-module-cases"
  {
    nativeBuildInputs = [ python3 ];
    json = builtins.toJSON {
      cases = lib.cases ++ modules.cases;
      inherit (lib) roundtrips;
    };
    passAsFile = [ "json" ];
  }
  ''
    python3 ${../../tests/nix/check_cases.py} "$jsonPath" | tee "$out"
  ''
