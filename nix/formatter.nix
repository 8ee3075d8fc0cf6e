# `nix fmt`: nixfmt over the packaging's own Nix files (flake.nix, nix/, tests/nix/). Nix files
# elsewhere under tests/ are fixtures whose exact bytes the tests compare, so they are left alone.
{
  writeShellApplication,
  nixfmt,
  findutils,
}:
writeShellApplication {
  name = "microvm-here-fmt";
  runtimeInputs = [
    nixfmt
    findutils
  ];
  text = ''
    # `nix fmt` passes no argument (or "."): format the default set, relative to the repository
    # root, which is where `nix fmt` is meant to be run.
    if [ "$#" -eq 0 ] || { [ "$#" -eq 1 ] && [ "$1" = . ]; }; then
      set -- flake.nix nix tests/nix
    fi
    find "$@" -name '*.nix' -type f -exec nixfmt {} +
  '';
}
