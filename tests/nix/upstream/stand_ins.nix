# Stand-ins for what tests/nix/upstream/*_cases.nix need beyond the real upstream sources: a
# package set whose packages are fake derivations (nothing is built or read from the store), and
# the NixOS options that the real modules under test (microvm.nix's host module, nixpkgs'
# polkit, zsh and bash modules, nix/nixos-module.nix) define but whose declaring modules are not
# in the snapshots (systemd, users, environment, fish, ...). The option types are loose on
# purpose: these tests are about what the real modules define, not about those options.
{ lib, nixpkgsPath }:
let
  inherit (lib) mkOption types;

  fakeDrv =
    name:
    let
      self = {
        type = "derivation";
        inherit name;
        pname = name;
        version = "0";
        outPath = "/nix/store/00000000000000000000000000000000-${name}";
        drvPath = "/nix/store/00000000000000000000000000000000-${name}.drv";
        outputs = [ "out" ];
        out = self;
        bin = self;
        lib = self;
        dev = self;
        man = self;
        meta = { };
        passthru = { };
        override = _: self;
        overrideAttrs = _: self;
      };
    in
    self;

  opt =
    type: default:
    mkOption {
      inherit type default;
    };
  loose = types.attrsOf (types.submodule { freeformType = types.lazyAttrsOf types.anything; });
  tmpfilesEntry = types.submodule (
    { name, ... }:
    {
      options = {
        type = opt types.str name;
        mode = opt types.str "-";
        user = opt types.str "-";
        group = opt types.str "-";
        age = opt types.str "-";
        argument = opt types.str "";
      };
    }
  );
in
rec {
  inherit fakeDrv;

  # The package of microvm-here the modules install.
  package = fakeDrv "microvm-here-0.1.0";

  pkgs = {
    path = nixpkgsPath;
    inherit lib;
    stdenv.hostPlatform = lib.systems.elaborate "x86_64-linux";
    buildPackages = pkgs;
    formats.ini = _: {
      type = types.attrsOf (types.attrsOf types.anything);
      generate = name: _value: fakeDrv name;
    };
    callPackage = _fn: _args: fakeDrv "callPackage-result";
    runCommand = name: _: _: fakeDrv name;
    runCommandLocal = name: _: _: fakeDrv name;
    writeText = name: _: fakeDrv name;
    writeTextFile = args: fakeDrv args.name;
    runtimeShell = "/nix/store/00000000000000000000000000000000-bash/bin/bash";
  }
  // lib.genAttrs [
    "bash-completion"
    "bashInteractive"
    "coreutils"
    "fish"
    "glibcLocales"
    "man"
    "nix-zsh-completions"
    "polkit"
    "qemu-utils"
    "shared-mime-info"
    "zsh"
  ] fakeDrv;

  # Options of NixOS modules that are not in the snapshots.
  nixosOptions =
    { config, ... }:
    {
      options = {
        boot.kernelModules = opt (types.listOf types.str) [ ];
        environment = {
          etc = mkOption {
            default = { };
            type = types.attrsOf (
              types.submodule (
                { name, config, ... }:
                {
                  freeformType = types.lazyAttrsOf types.anything;
                  options.text = opt (types.nullOr types.lines) null;
                  options.source = mkOption { type = types.path; };
                  # As in nixpkgs: a file given by text gets a store path as its source.
                  config.source = lib.mkIf (config.text != null) (
                    lib.mkDefault (fakeDrv "etc-${baseNameOf name}")
                  );
                }
              )
            );
          };
          systemPackages = opt (types.listOf types.package) [ ];
          pathsToLink = opt (types.listOf types.str) [ ];
          shells = opt (types.listOf types.anything) [ ];
          shellAliases = opt (types.attrsOf types.anything) { };
          shellInit = opt types.lines "";
          loginShellInit = opt types.lines "";
          interactiveShellInit = opt types.lines "";
        };
        hardware.ksm.enable = opt types.bool false;
        # nixpkgs' misc/ids.nix: the fixed uids of system users.
        ids.uids = opt (types.attrsOf types.int) { polkituser = 28; };
        # nixpkgs' programs/bash/bash-completion.nix.
        programs.bash.completion.enable = opt types.bool true;
        programs.fish = {
          enable = opt types.bool false;
          interactiveShellInit = opt types.lines "";
        };
        security = {
          pam = {
            loginLimits = opt (types.listOf types.anything) [ ];
            services = opt loose { };
            u2f.enable = opt types.bool false;
            zfs.enable = opt types.bool false;
          };
          wrappers = opt loose { };
        };
        services.dbus.packages = opt (types.listOf types.anything) [ ];
        system = {
          activationScripts = opt (types.attrsOf types.anything) { };
          build = opt (types.lazyAttrsOf types.anything) { };
          path = opt types.anything (fakeDrv "system-path");
        };
        systemd = {
          packages = opt (types.listOf types.anything) [ ];
          services = opt loose { };
          sockets = opt loose { };
          targets = opt loose { };
          tmpfiles = {
            rules = opt (types.listOf types.str) [ ];
            # As in nixpkgs: settings.<file>.<path>.<type> = { mode, user, group, age, argument }.
            settings = opt (types.attrsOf (types.attrsOf (types.attrsOf tmpfilesEntry))) { };
          };
        };
        users = {
          users = opt loose { };
          groups = opt loose { };
          defaultUserShell = opt types.anything null;
        };
        virtualisation.libvirtd.enable = opt types.bool false;
      };

      config = {
        system.build.setEnvironment = fakeDrv "set-environment";
        # nixpkgs' fish module writes interactiveShellInit into /etc/fish/config.fish only when
        # programs.fish.enable is set (its whole config is under mkIf cfg.enable); so does this
        # stand-in.
        environment.etc."fish/config.fish" = lib.mkIf config.programs.fish.enable {
          text = config.programs.fish.interactiveShellInit;
        };
      };
    };

  # systemd.tmpfiles.settings as the lines of a tmpfiles.d file (fields separated by one space,
  # the empty argument left out), after the rules of systemd.tmpfiles.rules.
  tmpfilesLines =
    config:
    config.systemd.tmpfiles.rules
    ++ lib.concatLists (
      lib.mapAttrsToList (
        _file: paths:
        lib.concatLists (
          lib.mapAttrsToList (
            path: entries:
            lib.mapAttrsToList (
              _type: e:
              lib.concatStringsSep " " (
                [
                  e.type
                  path
                  e.mode
                  e.user
                  e.group
                  e.age
                ]
                ++ lib.optional (e.argument != "") e.argument
              )
            ) entries
          ) paths
        )
      ) config.systemd.tmpfiles.settings
    );

  # A guest's evaluated NixOS configuration, as microvm.nix's host module reads it from
  # microvm.vms.<name>.evaluatedConfig: its shares, runner and toplevel.
  guest =
    { name, shares }:
    {
      config = {
        microvm = {
          inherit shares;
          declaredRunner = fakeDrv "microvm-run-${name}" // {
            supportsNotifySocket = false;
            registerWithMachined = false;
          };
        };
        system.build.toplevel = fakeDrv "nixos-system-${name}";
      };
    };
}
