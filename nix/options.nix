# The options both modules declare under programs.microvm-here (the NixOS module adds group).
# shellDefault: shell name -> { default, defaultText } for shellIntegration.<shell>.
{ lib, shellDefault }:
let
  inherit (lib) mkEnableOption mkOption types;

  # What nix/lib.nix's toTOML renders: scalars, lists of scalars, and one level of tables.
  scalar = types.oneOf [
    types.bool
    types.int
    types.str
  ];
  value = types.oneOf [
    scalar
    (types.listOf scalar)
  ];

  shellOption =
    shell:
    mkOption {
      type = types.bool;
      inherit (shellDefault shell) default defaultText;
      description = "Whether to source the microvm-here hook in interactive ${shell} shells.";
    };
in
{
  enable = mkEnableOption "microvm-here, which registers, starts and enters per-project NixOS microVMs";

  package = mkOption {
    type = types.package;
    defaultText = lib.literalMD "the flake's `packages.\${system}.default`";
    description = "The microvm-here package to install and to take the shell hooks from.";
  };

  settings = mkOption {
    type = types.attrsOf (
      types.oneOf [
        value
        (types.attrsOf value)
      ]
    );
    default = { };
    example = lib.literalExpression ''
      {
        nixfiles = "~/nixfiles";
        rebuild = [ "just" "switch" ];
        ssh_port = 22;
        boot_timeout = 120;
      }
    '';
    description = ''
      microvm-here's configuration, written as TOML (keys as in the README, section
      "Configuration"; microvm-here rejects unknown keys). Empty: no file is written and the
      built-in defaults apply.
    '';
  };

  shellIntegration = {
    zsh = shellOption "zsh";
    bash = shellOption "bash";
    fish = shellOption "fish";
  };
}
