{
  description = "microvm-here: register, start and enter per-project NixOS microVMs";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # The modules take their default package from this flake, built against its pinned nixpkgs.
      withDefaultPackage =
        module:
        { lib, pkgs, ... }:
        {
          imports = [ module ];
          programs.microvm-here.package =
            lib.mkDefault
              self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        };
    in
    {
      overlays.default = final: _prev: { microvm-here = final.callPackage ./nix/package.nix { }; };

      packages = forAllSystems (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { };
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = lib.getExe self.packages.${pkgs.stdenv.hostPlatform.system}.default;
          meta.description = "Run microvm-here";
        };
      });

      nixosModules.default = withDefaultPackage ./nix/nixos-module.nix;
      homeManagerModules.default = withDefaultPackage ./nix/home-manager-module.nix;

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.stdenv.hostPlatform.system}.default ];
          packages = with pkgs; [
            catch2_3
            clang-tools # clang-format, clang-tidy
            fish # tests labelled shells
            gdb
            nix # nix-instantiate for the tests labelled nix
            nixfmt
            nodejs # tests/integration/nix_polkit.sh
            openssh # tests labelled sshd
            python3 # tests/integration/nix_lib_eval.sh (tomllib), tests/harness/pty_drive.py
            strace # tests labelled shells
            zsh
          ];
        };
      });

      # Formats the packaging's own Nix files only (flake.nix, nix/, tests/nix/): Nix files
      # elsewhere under tests/ are fixtures whose bytes the tests compare.
      formatter = forAllSystems (pkgs: pkgs.callPackage ./nix/formatter.nix { });

      checks = forAllSystems (
        pkgs:
        let
          system = pkgs.stdenv.hostPlatform.system;
        in
        {
          package = self.packages.${system}.default;
          formatting = pkgs.callPackage ./nix/checks/formatting.nix { };
          lib-and-modules = pkgs.callPackage ./nix/checks/lib-and-modules.nix { };
          polkit = pkgs.callPackage ./nix/checks/polkit.nix { };
          nixos-module = pkgs.testers.runNixOSTest (import ./nix/checks/nixos-module.nix { inherit self; });
        }
      );
    };
}
