# NixOS module: programs.microvm-here. Every file it deploys (config.toml, the tmpfiles line, the
# polkit rule, the shell init lines) is produced by nix/lib.nix, which the tests evaluate offline.
{
  config,
  lib,
  ...
}:
let
  cfg = config.programs.microvm-here;
  mvh = import ./lib.nix;
  inherit (lib) mkIf mkMerge mkOption types;

  shellInit =
    shell:
    mvh.shellInit {
      inherit shell;
      inherit (cfg) package;
    };

  commonOptions = import ./options.nix {
    inherit lib;
    shellDefault = _shell: {
      default = true;
      defaultText = lib.literalExpression "true";
    };
  };

  groupOption = mkOption {
    type = types.str;
    default = mvh.defaultGroup;
    description = ''
      Members of this group may start, stop and restart `microvm@<name>.service` without a
      password (polkit) and add their own links to the workspace directory. Membership lets a
      user share any host directory into a VM they can log into: grant it like root access.
    '';
  };
in
{
  options.programs.microvm-here = commonOptions // {
    group = groupOption;
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          # Without a unit file of that name, a member could create a transient unit named
          # microvm@x.service (StartTransientUnit asks polkit with verb "start") running any
          # command as root; with the template present systemd refuses such transient units.
          assertion = config.systemd.services ? "microvm@";
          message = "programs.microvm-here: no microvm@.service template is defined, so the polkit rule for group \"${cfg.group}\" could let its members start transient units named microvm@*.service, which run any command as root. Import microvm.nix's host module (microvm.nixosModules.host) and set microvm.host.enable = true, or disable programs.microvm-here.";
        }
      ];

      environment.systemPackages = [ cfg.package ];

      environment.etc."microvm-here/config.toml" = mkIf (cfg.settings != { }) {
        text = mvh.toTOML cfg.settings;
      };

      users.groups.${cfg.group} = { };

      systemd.tmpfiles.rules = [
        (mvh.tmpfilesRule {
          path = cfg.settings.workspaces or mvh.defaultWorkspaces;
          inherit (cfg) group;
        })
      ];

      security.polkit.enable = true;
      security.polkit.extraConfig = mvh.polkitRule { inherit (cfg) group; };
    }
    (mkIf cfg.shellIntegration.zsh { programs.zsh.interactiveShellInit = shellInit "zsh"; })
    (mkIf cfg.shellIntegration.bash { programs.bash.interactiveShellInit = shellInit "bash"; })
    (mkIf cfg.shellIntegration.fish { programs.fish.interactiveShellInit = shellInit "fish"; })
  ]);
}
