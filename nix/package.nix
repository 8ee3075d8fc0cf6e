{
  lib,
  stdenv,
  cmake,
  ninja,
  pkg-config,
  boost,
  libssh,
  systemdLibs,
  spdlog,
  fmt,
  nlohmann_json,
  tomlplusplus,
  catch2_3,
  zsh,
  fish,
  python3,
  strace,
  versionCheckHook,
}:

let
  # CMakeLists.txt links Boost.Filesystem statically (no Boost shared object at startup) and looks
  # for libboost_filesystem.a, which nixpkgs' boost does not ship. So Boost is built static only.
  # All its libraries are built: nixpkgs' boost always passes --without-python to b2, and b2
  # refuses to mix --with-<library> (to build only filesystem) with any --without-<library>, so
  # no extraB2Args. tests/integration/nix_upstream.sh checks these arguments against that rule.
  boostStatic = boost.override {
    enableShared = false;
    enableStatic = true;
  };

  # Both libraries are dlopen()ed on the commands that need them, never linked; the binary gets
  # their store paths at build time so it finds them on NixOS (no /usr/lib) and keeps them in its
  # runtime closure.
  libsystemdPath = "${lib.getLib systemdLibs}/lib/libsystemd.so.0";
  libsshPath = "${lib.getLib libssh}/lib/libssh.so.4";
in
stdenv.mkDerivation (finalAttrs: {
  pname = "microvm-here";
  version = "0.1.0";

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.difference (lib.fileset.unions [
      ../CMakeLists.txt
      ../cmake
      ../completions
      ../shell
      ../src
      ../tests
    ]) (lib.fileset.maybeMissing ../tests/guest/out);
  };

  strictDeps = true;

  nativeBuildInputs = [
    cmake
    ninja
    pkg-config
  ];

  buildInputs = [
    boostStatic
    libssh
    systemdLibs
    spdlog
    fmt
    nlohmann_json
    tomlplusplus
  ];

  checkInputs = [ catch2_3 ];
  # For the tests labelled "shells": the hooks run in real zsh and fish, driven through a
  # pseudo-terminal by tests/harness/pty_drive.py (python3) and traced by strace; without any
  # of them those tests skip.
  nativeCheckInputs = [
    zsh
    fish
    python3
    strace
  ];

  cmakeFlags = [
    (lib.cmakeBool "MVH_TESTS" finalAttrs.finalPackage.doCheck)
    (lib.cmakeBool "MVH_SANITIZE" false)
    (lib.cmakeBool "MVH_WERROR" false)
    (lib.cmakeFeature "MVH_LIBSYSTEMD_PATH" libsystemdPath)
    (lib.cmakeFeature "MVH_LIBSSH_PATH" libsshPath)
  ];

  postPatch = ''
    patchShebangs tests
  '';

  doCheck = true;
  # The sandbox has no root, no namespaces, no sshd and no Nix store to evaluate in: tests that
  # need those carry the CTest labels root, sshd and nix and are left out here, not deleted; so
  # is the 30 s libFuzzer run (label fuzz), which CI does.
  # MVH_NO_NIX=1 makes the Catch2 cases that would run nix-instantiate skip themselves.
  checkPhase = ''
    runHook preCheck
    export HOME="$(mktemp -d)"
    MVH_NO_NIX=1 ctest --output-on-failure --no-tests=error \
      --parallel "$NIX_BUILD_CORES" --label-exclude '^(root|sshd|nix|fuzz)$'
    runHook postCheck
  '';

  doInstallCheck = true;
  nativeInstallCheckInputs = [ versionCheckHook ];
  versionCheckProgramArg = "--version";
  installCheckPhase = ''
    runHook preInstallCheck
    # `microvm-here hook SHELL` prints the installed hook files byte for byte.
    for shell in zsh bash fish; do
      "$out/bin/microvm-here" hook "$shell" | cmp - "$out/share/microvm-here/microvm-here.$shell"
    done
    # The dlopen() names are store paths, not bare sonames that NixOS could not resolve.
    for lib in '${libsystemdPath}' '${libsshPath}'; do
      if ! grep -qF "$lib" "$out/bin/microvm-here"; then
        echo "$out/bin/microvm-here does not name $lib: CMakeLists.txt must pass MVH_LIBSYSTEMD_PATH and MVH_LIBSSH_PATH to the dlopen() calls"
        exit 1
      fi
    done
    runHook postInstallCheck
  '';

  meta = {
    description = "Register, start and enter per-project NixOS microVMs (microvm.nix)";
    # Placeholder until the project has a public home.
    homepage = "https://example.invalid/microvm-here";
    license = lib.licenses.mit;
    mainProgram = "microvm-here";
    platforms = lib.platforms.linux;
    maintainers = [ ];
  };
})
