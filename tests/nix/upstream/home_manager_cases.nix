# Cases for nix/home-manager-module.nix inside the real Home Manager module system: the snapshot's
# modules.nix (minimal: the core modules and the bash and zsh modules; its fish module added the
# way a user adds modules), its extended lib, check = true (a definition of an undeclared option
# is an error), and the real nixpkgs lib. stand_ins.nix provides the package set (fake
# derivations). Each case is { name, expected, got } for tests/nix/check_cases.py.
{ up }:
let
  lib = import "${up}/nixpkgs/lib";
  hmLib = import "${up}/home-manager/modules/lib/stdlib-extended.nix" lib;
  standIns = import ./stand_ins.nix {
    inherit lib;
    nixpkgsPath = "${up}/nixpkgs";
  };
  inherit (standIns) package;
  hook = shell: "source ${package}/share/microvm-here/microvm-here.${shell}\n";

  hmModules = import "${up}/home-manager/modules/modules.nix" {
    inherit (standIns) pkgs;
    lib = hmLib;
    check = true;
    minimal = true;
    useNixpkgsModule = false;
  };

  eval =
    modules:
    (hmLib.evalModules {
      class = "homeManager";
      specialArgs.modulesPath = "${up}/home-manager/modules";
      modules =
        hmModules
        ++ [
          "${up}/home-manager/modules/programs/fish.nix"
          "${up}/home-manager/modules/programs/man"
          ../../../nix/home-manager-module.nix
          {
            # The manual is built from home-manager's docs/, which the snapshot leaves out.
            manual.manpages.enable = false;
            home = {
              # The snapshots pair Home Manager master (26.11) with the lib of nixos-26.05, which
              # Home Manager warns about; any other warning fails the first case.
              enableNixpkgsReleaseCheck = false;
              username = "alice";
              homeDirectory = "/home/alice";
              stateVersion = "26.05";
            };
            programs = {
              zsh.enable = true;
              bash.enable = true;
              fish.enable = true;
              microvm-here = {
                enable = true;
                inherit package;
                settings = {
                  nixfiles = "~/nixfiles";
                  rebuild = [
                    "just"
                    "switch"
                  ];
                };
              };
            };
          }
        ]
        ++ modules;
    }).config;
  failedAssertions = config: map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);

  all = eval [ ];
  noFish = eval [ { home.shell.enableFishIntegration = false; } ];

  zshrc =
    config:
    let
      names = lib.filter (lib.hasSuffix ".zshrc") (lib.attrNames config.home.file);
    in
    lib.concatMapStrings (n: config.home.file.${n}.text) names;
  has = lib.hasInfix;
in
{
  cases = [
    {
      name = "home-manager: no failed assertion, no warning";
      expected = {
        failed = [ ];
        warnings = [ ];
      };
      got = {
        failed = failedAssertions all;
        inherit (all) warnings;
      };
    }
    {
      name = "home-manager: the package is in home.packages";
      expected = true;
      got = lib.elem package.outPath (map (p: p.outPath) all.home.packages);
    }
    {
      name = "home-manager: ~/.config/microvm-here/config.toml";
      expected = ''
        nixfiles = "~/nixfiles"
        rebuild = ["just", "switch"]
      '';
      got = all.xdg.configFile."microvm-here/config.toml".text;
    }
    {
      name = "home-manager: the hook lines reach .zshrc (initContent), bash's initExtra and fish's interactiveShellInit";
      expected = {
        zshrc = true;
        bash = true;
        fish = true;
      };
      got = {
        zshrc = has (hook "zsh") (zshrc all);
        bash = has (hook "bash") all.programs.bash.initExtra;
        fish = has (hook "fish") all.programs.fish.interactiveShellInit;
      };
    }
    {
      name = "home-manager: home.shell.enableFishIntegration = false turns the fish hook off by default";
      expected = {
        default = false;
        fish = false;
        zshrc = true;
      };
      got = {
        default = noFish.programs.microvm-here.shellIntegration.fish;
        fish = has (hook "fish") noFish.programs.fish.interactiveShellInit;
        zshrc = has (hook "zsh") (zshrc noFish);
      };
    }
  ];
}
