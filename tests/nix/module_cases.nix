# Cases for nix/nixos-module.nix and nix/home-manager-module.nix, evaluated without nixpkgs
# (tests/nix/stub_lib.nix stands in for lib): given option values, each module must define exactly
# the expected options, and its files must be the literal texts nix/lib.nix is tested to produce.
# tests/nix/check_cases.py compares got with expected.
let
  lib = import ./stub_lib.nix;
  mvh = import ../../nix/lib.nix;
  inherit (builtins)
    attrNames
    filter
    foldl'
    isAttrs
    isList
    map
    mapAttrs
    removeAttrs
    toJSON
    ;

  absent = {
    _type = "absent";
  };
  isType = t: v: isAttrs v && (v._type or null) == t;

  # Resolves mkIf/mkMerge as the module system does within one module: a false mkIf defines
  # nothing, mkMerge merges its parts (lists concatenate, equal values coincide, others conflict).
  resolve =
    v:
    if isType "if" v then
      (if v.condition then resolve v.content else absent)
    else if isType "merge" v then
      foldl' merge absent (map resolve v.contents)
    else if isAttrs v && !(v ? _type) then
      let
        r = mapAttrs (_: resolve) v;
        undefined = filter (n: r.${n} == absent) (attrNames r);
        kept = removeAttrs r undefined;
      in
      # A set emptied by false mkIfs defines nothing; an empty set written as such (a group) stays.
      if kept == { } && undefined != [ ] then absent else kept
    else
      v;
  merge =
    a: b:
    if a == absent then
      b
    else if b == absent then
      a
    else if isAttrs a && isAttrs b && !(a ? _type) && !(b ? _type) then
      a // mapAttrs (n: v: if a ? ${n} then merge a.${n} v else v) b
    else if isList a && isList b then
      a ++ b
    else if a == b then
      a
    else
      throw "conflicting definitions: ${toJSON a} and ${toJSON b}";

  pkg = "/nix/store/00000000000000000000000000000000-microvm-here-0.1.0";
  hook = shell: "source ${pkg}/share/microvm-here/microvm-here.${shell}\n";

  settings = {
    workspaces = "/srv/ws";
    ssh_port = 2222;
    boot_timeout = 120;
  };
  settingsToml = ''
    boot_timeout = 120
    ssh_port = 2222
    workspaces = "/srv/ws"
  '';

  nixosCfg = {
    enable = true;
    package = pkg;
    inherit settings;
    group = "vmusers";
    shellIntegration = {
      zsh = true;
      bash = true;
      fish = false;
    };
  };
  nixos =
    {
      cfg ? nixosCfg,
      services ? {
        "microvm@" = { };
      },
    }:
    let
      m = import ../../nix/nixos-module.nix {
        inherit lib;
        config = {
          programs.microvm-here = cfg;
          systemd.services = services;
        };
      };
    in
    {
      options = m.options.programs.microvm-here;
      config = resolve m.config;
    };
  withoutAssertions = c: removeAttrs c [ "assertions" ];
  assertionResults = c: map (a: a.assertion) c.assertions;

  hmCfg = {
    enable = true;
    package = pkg;
    inherit settings;
    shellIntegration = {
      zsh = true;
      bash = true;
      fish = true;
    };
  };
  hm =
    {
      cfg ? hmCfg,
      zshOptions ? {
        initContent = { };
      },
      home ? { },
    }:
    let
      m = import ../../nix/home-manager-module.nix {
        inherit lib;
        config = {
          programs.microvm-here = cfg;
          inherit home;
        };
        options.programs.zsh = zshOptions;
      };
    in
    {
      options = m.options.programs.microvm-here;
      config = resolve m.config;
    };

  case = name: got: expected: { inherit name got expected; };
in
{
  cases = [
    (case "nixos: declares enable, group, package, settings, shellIntegration.{bash,fish,zsh}"
      (
        let
          o = (nixos { }).options;
        in
        {
          top = attrNames o;
          shells = attrNames o.shellIntegration;
        }
      )
      {
        top = [
          "enable"
          "group"
          "package"
          "settings"
          "shellIntegration"
        ];
        shells = [
          "bash"
          "fish"
          "zsh"
        ];
      }
    )
    (case "nixos: option defaults"
      (
        let
          o = (nixos { }).options;
        in
        {
          enable = o.enable.default;
          group = o.group.default;
          settings = o.settings.default;
          zsh = o.shellIntegration.zsh.default;
          bash = o.shellIntegration.bash.default;
          fish = o.shellIntegration.fish.default;
        }
      )
      {
        enable = false;
        group = "microvm-here";
        settings = { };
        zsh = true;
        bash = true;
        fish = true;
      }
    )
    (case "nixos: enabled, everything it defines"
      (withoutAssertions (nixos { }).config)
      {
        environment.systemPackages = [ pkg ];
        environment.etc."microvm-here/config.toml".text = settingsToml;
        users.groups.vmusers = { };
        systemd.tmpfiles.rules = [ "d /srv/ws 1775 root vmusers - -" ];
        security.polkit.enable = true;
        security.polkit.extraConfig = mvh.polkitRule { group = "vmusers"; };
        programs.zsh.interactiveShellInit = hook "zsh";
        programs.bash.interactiveShellInit = hook "bash";
      }
    )
    (case "nixos: the deployed config.toml is lib.toTOML of the settings"
      (nixos { }).config.environment.etc."microvm-here/config.toml".text
      (mvh.toTOML settings)
    )
    (case "nixos: the polkit rule names the configured group"
      ((nixos { }).config.security.polkit.extraConfig != mvh.polkitRule { })
      true
    )
    (case "nixos: with microvm.nix's microvm@ template the assertion holds"
      (assertionResults (nixos { }).config)
      [ true ]
    )
    (case "nixos: without a microvm@ template the assertion fails"
      (assertionResults (nixos { services = { }; }).config)
      [ false ]
    )
    (case "nixos: no settings: no config file, the default workspace directory"
      (
        let
          c = (nixos { cfg = nixosCfg // { settings = { }; }; }).config;
        in
        {
          etc = c.environment ? etc;
          rules = c.systemd.tmpfiles.rules;
        }
      )
      {
        etc = false;
        rules = [ "d /var/lib/microvm-workspaces 1775 root vmusers - -" ];
      }
    )
    (case "nixos: fish integration alone"
      (
        (nixos {
          cfg = nixosCfg // {
            shellIntegration = {
              zsh = false;
              bash = false;
              fish = true;
            };
          };
        }).config.programs
      )
      { fish.interactiveShellInit = hook "fish"; }
    )
    (case "nixos: disabled, it defines nothing"
      (nixos { cfg = nixosCfg // { enable = false; }; }).config
      absent
    )

    (case "home-manager: declares enable, package, settings, shellIntegration (no group)"
      (attrNames (hm { }).options)
      [
        "enable"
        "package"
        "settings"
        "shellIntegration"
      ]
    )
    (case "home-manager: shell integration defaults follow home.shell.enable<Shell>Integration"
      (
        let
          o = (hm { home.shell.enableZshIntegration = false; }).options.shellIntegration;
        in
        {
          zsh = o.zsh.default;
          bash = o.bash.default;
          fish = o.fish.default;
        }
      )
      {
        zsh = false;
        bash = true;
        fish = true;
      }
    )
    (case "home-manager: enabled, everything it defines" (hm { }).config {
      home.packages = [ pkg ];
      xdg.configFile."microvm-here/config.toml".text = settingsToml;
      programs.zsh.initContent = hook "zsh";
      programs.bash.initExtra = hook "bash";
      programs.fish.interactiveShellInit = hook "fish";
    })
    (case "home-manager: before Home Manager 25.05 zsh gets initExtra"
      (hm { zshOptions = { }; }).config.programs.zsh
      { initExtra = hook "zsh"; }
    )
    (case "home-manager: no settings: no config file"
      ((hm { cfg = hmCfg // { settings = { }; }; }).config ? xdg)
      false
    )
    (case "home-manager: disabled, it defines nothing"
      (hm { cfg = hmCfg // { enable = false; }; }).config
      absent
    )
  ];
}
