# Home Manager module: programs.microvm-here for one user. The config file and the shell init
# lines come from nix/lib.nix, which the tests evaluate offline. Grants nothing: starting VMs
# without a password needs the NixOS module (or a polkit rule of your own) on the host.
{
  config,
  lib,
  options,
  ...
}:
let
  cfg = config.programs.microvm-here;
  mvh = import ./lib.nix;
  inherit (lib) mkIf mkMerge;

  shellInit =
    shell:
    mvh.shellInit {
      inherit shell;
      inherit (cfg) package;
    };

  # Follows Home Manager's home.shell.enable<Shell>Integration where that option exists.
  shellDefault =
    shell:
    let
      name =
        {
          zsh = "enableZshIntegration";
          bash = "enableBashIntegration";
          fish = "enableFishIntegration";
        }
        .${shell};
    in
    {
      default = config.home.shell.${name} or true;
      defaultText = lib.literalExpression "config.home.shell.${name}";
    };
in
{
  options.programs.microvm-here = import ./options.nix { inherit lib shellDefault; };

  config = mkIf cfg.enable (mkMerge [
    {
      home.packages = [ cfg.package ];

      # $XDG_CONFIG_HOME/microvm-here/config.toml: read after $MICROVM_HERE_CONFIG.
      xdg.configFile."microvm-here/config.toml" = mkIf (cfg.settings != { }) {
        text = mvh.toTOML cfg.settings;
      };
    }
    (mkIf cfg.shellIntegration.zsh (
      # Home Manager 25.05 replaced programs.zsh.initExtra by initContent.
      if options.programs.zsh ? initContent then
        { programs.zsh.initContent = shellInit "zsh"; }
      else
        { programs.zsh.initExtra = shellInit "zsh"; }
    ))
    (mkIf cfg.shellIntegration.bash { programs.bash.initExtra = shellInit "bash"; })
    (mkIf cfg.shellIntegration.fish { programs.fish.interactiveShellInit = shellInit "fish"; })
  ]);
}
