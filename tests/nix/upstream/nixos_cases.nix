# Cases for nix/nixos-module.nix evaluated by the real module system (nixpkgs lib) together with
# the real microvm.nix host module and the real nixpkgs modules of the snapshot (assertions,
# meta, polkit, zsh, bash); stand_ins.nix declares the other NixOS options they set. Each case is
# { name, expected, got } for tests/nix/check_cases.py. up: the unpacked snapshots.
{ up }:
let
  lib = import "${up}/nixpkgs/lib";
  mvh = import ../../../nix/lib.nix;
  nixosModules = "${up}/nixpkgs/nixos/modules";
  standIns = import ./stand_ins.nix {
    inherit lib;
    nixpkgsPath = "${up}/nixpkgs";
  };
  inherit (standIns) package;

  hook = shell: "source ${package}/share/microvm-here/microvm-here.${shell}\n";
  microvmHost = "${up}/microvm.nix/nixos-modules/host";
  workspace = "/var/lib/microvm-workspaces/demo";

  base = [
    "${nixosModules}/misc/assertions.nix"
    "${nixosModules}/misc/meta.nix"
    "${nixosModules}/security/polkit.nix"
    "${nixosModules}/programs/zsh/zsh.nix"
    "${nixosModules}/programs/bash/bash.nix"
    standIns.nixosOptions
    ../../../nix/nixos-module.nix
    {
      _module.args.pkgs = standIns.pkgs;
      programs.microvm-here = {
        enable = true;
        inherit package;
        settings = {
          nixfiles = "/home/alice/nixfiles";
          ssh_port = 2222;
        };
      };
      users.users.alice = {
        isNormalUser = true;
        extraGroups = [ mvh.defaultGroup ];
      };
    }
  ];

  # One declared VM whose workspace share has its source in the workspace directory, as the
  # VMs microvm-here registers do, and the usual read-only store share.
  declaredVm = {
    microvm.vms.demo.evaluatedConfig = standIns.guest {
      name = "demo";
      shares = [
        {
          tag = "workspace";
          source = workspace;
          mountPoint = "/workspace";
          proto = "virtiofs";
        }
        {
          tag = "ro-store";
          source = "/nix/store";
          mountPoint = "/nix/.ro-store";
          proto = "virtiofs";
        }
      ];
    };
  };

  eval =
    modules:
    (lib.evalModules {
      class = "nixos";
      modules = base ++ modules;
    }).config;
  failedAssertions = config: map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);

  host = eval [
    microvmHost
    declaredVm
    {
      programs.zsh.enable = true;
      programs.fish.enable = true;
    }
  ];
  shellsOff = eval [
    microvmHost
    declaredVm
  ];
  noHost = eval [ ];
  otherGroup = eval [
    microvmHost
    declaredVm
    { programs.microvm-here.group = "vmusers"; }
  ];
  hostDisabled = eval [
    microvmHost
    { microvm.host.enable = false; }
  ];

  templateMessage = "programs.microvm-here: no microvm@.service template is defined, so the polkit rule for group \"microvm-here\" could let its members start transient units named microvm@*.service, which run any command as root. Import microvm.nix's host module (microvm.nixosModules.host) and set microvm.host.enable = true, or disable programs.microvm-here.";

  rule = host.security.polkit.extraConfig;
  has = lib.hasInfix;
in
{
  cases = [
    {
      name = "nixos+microvm.nix: no failed assertion, no warning";
      expected = {
        failed = [ ];
        warnings = [ ];
      };
      got = {
        failed = failedAssertions host;
        inherit (host) warnings;
      };
    }
    {
      # The module system merges lazily: a definition that conflicts with microvm.nix's (say, of
      # its microvm@ template) only fails when that value is read, so read everything both set.
      name = "nixos+microvm.nix: every unit, user, group, /etc file, tmpfiles and polkit setting evaluates";
      expected = true;
      got = builtins.deepSeq {
        inherit (host) environment systemd users;
        security = {
          inherit (host.security) pam wrappers;
          # debug is a removed option: reading it throws by design.
          polkit = removeAttrs host.security.polkit [ "debug" ];
        };
      } true;
    }
    {
      name = "nixos+microvm.nix: microvm.nix defines the microvm@ template, run as its user microvm";
      expected = {
        template = true;
        user = "microvm";
        group = "kvm";
        serviceUser = "kvm";
      };
      got = {
        template = host.systemd.services ? "microvm@";
        user = host.systemd.services."microvm@".serviceConfig.User;
        group = host.systemd.services."microvm@".serviceConfig.Group;
        serviceUser = host.users.users.microvm.group;
      };
    }
    {
      name = "nixos+microvm.nix: the tmpfiles lines (ours, then microvm.nix's for the workspace share's source and its state directory)";
      expected = [
        "d /var/lib/microvm-workspaces 1775 root microvm-here - -"
        "d ${workspace} :0775 :microvm :kvm -"
        "d /var/lib/microvms 0775 microvm kvm -"
      ];
      got = standIns.tmpfilesLines host;
    }
    {
      name = "nixos+microvm.nix: our tmpfiles line is nix/lib.nix's";
      expected = [ (mvh.tmpfilesRule { }) ];
      got = lib.filter (l: has " 1775 " l) host.systemd.tmpfiles.rules;
    }
    {
      name = "nixos+microvm.nix: the polkit rule is nix/lib.nix's, in the rules file nixpkgs' polkit module writes";
      expected = {
        enable = true;
        extraConfig = mvh.polkitRule { group = "microvm-here"; };
        inRulesFile = true;
      };
      got = {
        inherit (host.security.polkit) enable extraConfig;
        inRulesFile = has rule host.environment.etc."polkit-1/rules.d/10-nixos.rules".text;
      };
    }
    {
      name = "nixos+microvm.nix: the polkit rule's key properties (README \"What the NixOS module grants\")";
      expected = {
        action = true;
        verbs = true;
        group = true;
        transient = true;
        unit = true;
      };
      got = {
        action = has ''action.id !== "org.freedesktop.systemd1.manage-units"'' rule;
        verbs = has ''verb !== "start" && verb !== "stop" && verb !== "restart"'' rule;
        group = has ''subject.isInGroup("microvm-here")'' rule;
        transient = has ''message.indexOf("transient") !== -1'' rule;
        unit = has "/^microvm@" rule;
      };
    }
    {
      name = "nixos+microvm.nix: /etc/microvm-here/config.toml";
      expected = ''
        nixfiles = "/home/alice/nixfiles"
        ssh_port = 2222
      '';
      got = host.environment.etc."microvm-here/config.toml".text;
    }
    {
      name = "nixos+microvm.nix: the group exists, empty (members come from extraGroups)";
      expected = {
        group = { };
        alice = [ "microvm-here" ];
      };
      got = {
        group = host.users.groups.microvm-here;
        alice = host.users.users.alice.extraGroups;
      };
    }
    {
      name = "nixos+microvm.nix: the package is installed";
      expected = true;
      got = lib.elem package.outPath (map (p: p.outPath) host.environment.systemPackages);
    }
    {
      name = "nixos+microvm.nix: the hook line reaches /etc/zshrc, /etc/bashrc and /etc/fish/config.fish";
      expected = {
        zsh = true;
        bash = true;
        fish = true;
      };
      got = {
        zsh = has (hook "zsh") host.environment.etc.zshrc.text;
        bash = has (hook "bash") host.environment.etc.bashrc.text;
        fish = has (hook "fish") host.environment.etc."fish/config.fish".text;
      };
    }
    {
      name = "nixos: without programs.zsh.enable and programs.fish.enable their hook lines go nowhere";
      expected = {
        zshInit = true;
        zshrc = false;
        fishConfig = false;
        bash = true;
      };
      got = {
        zshInit = has (hook "zsh") shellsOff.programs.zsh.interactiveShellInit;
        zshrc = shellsOff.environment.etc ? zshrc;
        fishConfig = shellsOff.environment.etc ? "fish/config.fish";
        bash = has (hook "bash") shellsOff.environment.etc.bashrc.text;
      };
    }
    {
      name = "nixos+microvm.nix, group = \"vmusers\": the rule, the tmpfiles line and the group follow";
      expected = {
        rule = mvh.polkitRule { group = "vmusers"; };
        tmpfiles = "d /var/lib/microvm-workspaces 1775 root vmusers - -";
        groups = true;
        failed = [ ];
      };
      got = {
        rule = otherGroup.security.polkit.extraConfig;
        tmpfiles = lib.head otherGroup.systemd.tmpfiles.rules;
        groups = otherGroup.users.groups ? vmusers && !(otherGroup.users.groups ? microvm-here);
        failed = failedAssertions otherGroup;
      };
    }
    {
      name = "nixos without microvm.nix's host module: our assertion fails with our message";
      expected = [ templateMessage ];
      got = failedAssertions noHost;
    }
    {
      name = "nixos with microvm.host.enable = false: our assertion fails with our message";
      expected = [ templateMessage ];
      got = failedAssertions hostDisabled;
    }
  ];
}
