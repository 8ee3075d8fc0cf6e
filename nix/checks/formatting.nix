# Fails when a Nix file of the packaging (flake.nix, nix/, tests/nix/) is not formatted as
# `nix fmt` (nixfmt) formats it.
{
  lib,
  runCommand,
  nixfmt,
}:
let
  root = ../..;
  src = lib.fileset.toSource {
    inherit root;
    fileset = lib.fileset.intersection (lib.fileset.fileFilter (file: file.hasExt "nix") root) (
      lib.fileset.unions [
        ../../flake.nix
        ../../nix
        ../../tests/nix
      ]
    );
  };
in
runCommand "microvm-here-nixfmt-check" { nativeBuildInputs = [ nixfmt ]; } ''
  cd ${src}
  find . -name '*.nix' -type f -print0 | sort -z | xargs -0 nixfmt --check
  touch "$out"
''
