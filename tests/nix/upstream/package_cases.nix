# Cases for nix/package.nix, called with the real nixpkgs lib and stand-ins for the packages:
# boost.override records its arguments, and stdenv.mkDerivation returns its attributes. From the
# recorded arguments the cases compute what nixpkgs' boost
# (pkgs/development/libraries/boost/generic.nix) would do with them: its b2 command line always
# carries --without-python unless enablePython, then extraB2Args; its link= is "shared" and/or
# "static" from enableShared (default true on Linux) and enableStatic (default !enableShared).
# Boost's boostcpp.jam stops with "both --with-<library> and --without-<library> specified" when
# both kinds are given. Each case is { name, expected, got } for tests/nix/check_cases.py.
{ up }:
let
  lib = import "${up}/nixpkgs/lib";
  standIns = import ./stand_ins.nix {
    inherit lib;
    nixpkgsPath = "${up}/nixpkgs";
  };
  inherit (standIns) fakeDrv;

  boost = fakeDrv "boost" // {
    override = args: fakeDrv "boost-overridden" // { overrideArgs = args; };
  };

  stdenv = {
    hostPlatform = lib.systems.elaborate "x86_64-linux";
    mkDerivation =
      f:
      lib.fix (
        final:
        (if lib.isFunction f then f (final // { finalPackage = final; }) else f)
        // {
          type = "derivation";
          outPath = "/nix/store/00000000000000000000000000000000-microvm-here";
        }
      );
  };

  pkg = lib.callPackageWith (
    lib.genAttrs [
      "cmake"
      "ninja"
      "pkg-config"
      "libssh"
      "systemdLibs"
      "spdlog"
      "fmt"
      "nlohmann_json"
      "tomlplusplus"
      "catch2"
      "catch2_3"
      "zsh"
      "fish"
      "python3"
      "strace"
      "versionCheckHook"
    ] fakeDrv
    // {
      inherit lib stdenv boost;
    }
  ) ../../../nix/package.nix { };

  boosts = lib.filter (d: d ? overrideArgs) pkg.buildInputs;
  args = (lib.head boosts).overrideArgs;

  enableShared = args.enableShared or true;
  enableStatic = args.enableStatic or (!enableShared);
  b2Flags = lib.optional (!(args.enablePython or false)) "--without-python" ++ args.extraB2Args or [ ];
  anyFlag = prefix: lib.any (lib.hasPrefix prefix) b2Flags;
  names = map (d: d.name);
in
{
  cases = [
    {
      name = "package: one Boost, built by nixpkgs' boost.override";
      expected = 1;
      got = lib.length boosts;
    }
    {
      name = "package: b2 accepts the Boost arguments (no --with-<library> beside nixpkgs' --without-python)";
      expected = "b2 accepts the flags";
      got =
        if anyFlag "--with-" && anyFlag "--without-" then
          "b2 stops: both --with-<library> and --without-<library> specified in ${lib.concatStringsSep " " b2Flags}"
        else
          "b2 accepts the flags";
    }
    {
      name = "package: Boost is linked static only (libboost_filesystem.a, no Boost shared object at start)";
      expected = "static";
      got = lib.concatStringsSep "," (
        lib.optional enableShared "shared" ++ lib.optional enableStatic "static"
      );
    }
    {
      name = "package: the tests build with Catch2 3 and the shells tests find zsh, fish, python3, strace";
      expected = {
        checkInputs = [ "catch2_3" ];
        nativeCheckInputs = [
          "fish"
          "python3"
          "strace"
          "zsh"
        ];
      };
      got = {
        checkInputs = names pkg.checkInputs;
        nativeCheckInputs = lib.sort lib.lessThan (names pkg.nativeCheckInputs);
      };
    }
    {
      name = "package: the tests are built when checked";
      expected = true;
      got = pkg.doCheck && lib.elem "-DMVH_TESTS:BOOL=TRUE" pkg.cmakeFlags;
    }
  ];
}
