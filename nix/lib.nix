# The artifacts the NixOS and Home Manager modules deploy, as plain functions of builtins only
# (no nixpkgs), so tests/integration/nix_lib_eval.sh and nix_polkit.sh can evaluate exactly what
# is deployed with nothing but nix-instantiate. Each function throws a message naming the option
# to fix when given a value it cannot render safely.
let
  inherit (builtins)
    attrNames
    concatStringsSep
    elem
    filter
    fromJSON
    genList
    isAttrs
    isBool
    isFloat
    isInt
    isList
    isString
    map
    match
    replaceStrings
    stringLength
    substring
    toJSON
    typeOf
    ;

  hexDigit = n: substring n 1 "0123456789abcdef";
  hexByte = n: hexDigit (n / 16) + hexDigit (n - (n / 16) * 16);

  # Control characters have no literal in Nix; fromJSON decodes "\u00XX" into the real byte.
  # U+0000 cannot occur in a Nix string, so it needs no entry.
  shortEscapes = {
    "8" = "\\b";
    "9" = "\\t";
    "10" = "\\n";
    "12" = "\\f";
    "13" = "\\r";
  };
  controlCodes = genList (i: i + 1) 31 ++ [ 127 ];
  controlChar = n: fromJSON "\"\\u00${hexByte n}\"";
  controlEscape = n: shortEscapes.${toString n} or "\\u00${hexByte n}";

  # TOML basic string: backslash, quote and every control character escaped (TOML 1.0 §String).
  tomlString =
    s:
    "\""
    + replaceStrings ([ "\\" "\"" ] ++ map controlChar controlCodes) (
      [ "\\\\" "\\\"" ] ++ map controlEscape controlCodes
    ) s
    + "\"";

  tomlKey = k: if match "[A-Za-z0-9_-]+" k != null then k else tomlString k;

  where = path: concatStringsSep "." path;

  tomlValue =
    path: v:
    if isString v then
      tomlString v
    else if isBool v then
      (if v then "true" else "false")
    else if isInt v then
      toString v
    else if isList v then
      "[" + concatStringsSep ", " (map (tomlValue path) v) + "]"
    else if isFloat v then
      throw "programs.microvm-here.settings.${where path}: floats are not supported (no setting of microvm-here takes one); write an integer or a string."
    else if isAttrs v then
      throw "programs.microvm-here.settings.${where path}: a table inside a list is not supported; use a table of its own."
    else
      throw "programs.microvm-here.settings.${where path}: a ${typeOf v} cannot be written to TOML; use a string, an integer, a boolean or a list of those.";

  # One table: its plain keys first (TOML requires them before any sub-table header), then its
  # sub-tables, each under a [dotted.header]. Keys are sorted, so equal settings give equal bytes.
  tomlTable =
    path: attrs:
    let
      names = attrNames attrs;
      plain = filter (n: !(isAttrs attrs.${n})) names;
      tables = filter (n: isAttrs attrs.${n}) names;
      line = n: "${tomlKey n} = ${tomlValue (path ++ [ n ]) attrs.${n}}\n";
      table =
        n:
        let
          sub = path ++ [ n ];
        in
        "\n[${concatStringsSep "." (map tomlKey sub)}]\n" + tomlTable sub attrs.${n};
    in
    concatStringsSep "" (map line plain ++ map table tables);

  absolutePathWithoutSpace = p: isString p && match "/[^[:space:]]*" p != null;
  validGroup = g: isString g && match "[a-z_][a-z0-9_-]*" g != null && substring 0 32 g == g;

  shells = [
    "zsh"
    "bash"
    "fish"
  ];
in
rec {
  defaultGroup = "microvm-here";
  defaultWorkspaces = "/var/lib/microvm-workspaces";
  polkitAction = "org.freedesktop.systemd1.manage-units";
  # The systemd verbs (details "verb" of manage-units) the rule allows; every other verb, e.g.
  # reload, try-restart, kill, set-property, reset-failed, clean, freeze, is left to other rules.
  polkitVerbs = [
    "start"
    "stop"
    "restart"
  ];

  # settings (an attribute set of strings, integers, booleans, lists of those and nested
  # attribute sets as tables) -> TOML text ending in a newline; "" for {}.
  toTOML =
    settings:
    if isAttrs settings then
      let
        text = tomlTable [ ] settings;
      in
      # A file that starts with a table would otherwise start with its separating blank line.
      if substring 0 1 text == "\n" then substring 1 (stringLength text) text else text
    else
      throw "programs.microvm-here.settings must be an attribute set, got a ${typeOf settings}.";

  # { path, group } -> the systemd-tmpfiles.d(5) line for the workspace directory: owned by root,
  # group-writable for group, sticky (1775: members cannot remove or replace each other's links;
  # not world-writable, so fs.protected_symlinks does not stop root from following the links).
  tmpfilesRule =
    {
      path ? defaultWorkspaces,
      group ? defaultGroup,
    }:
    if !absolutePathWithoutSpace path then
      throw "programs.microvm-here: the workspace directory must be an absolute path without whitespace (settings.workspaces), got ${toJSON path}."
    else if !validGroup group then
      throw "programs.microvm-here.group must be a valid group name (lower case letters, digits, _ and -, at most 32 characters), got ${toJSON group}."
    else
      "d ${path} 1775 root ${group} - -";

  # { group } -> the polkit rule (JavaScript, ES5: polkit's interpreter). It answers YES only for
  # manage-units with details unit = microvm@<instance>.service and verb in polkitVerbs, asked by
  # a member of group; for anything else it returns NOT_HANDLED so the remaining rules decide.
  polkitRule =
    {
      group ? defaultGroup,
    }:
    if !validGroup group then
      throw "programs.microvm-here.group must be a valid group name (lower case letters, digits, _ and -, at most 32 characters), got ${toJSON group}."
    else
      ''
        // microvm-here (generated by nix/lib.nix): members of group ${toJSON group} may start, stop
        // and restart microvm@<name>.service without authentication; nothing else.
        polkit.addRule(function (action, subject) {
          if (action.id !== ${toJSON polkitAction}) {
            return polkit.Result.NOT_HANDLED;
          }
          var unit = action.lookup("unit");
          var verb = action.lookup("verb");
          var message = action.lookup("polkit.message");
          // StartTransientUnit also asks with verb "start"; a transient unit may run any command.
          if (typeof message === "string" && message.indexOf("transient") !== -1) {
            return polkit.Result.NOT_HANDLED;
          }
          // The instance must be a valid VM name (README "VM names"), exactly as microvm-here
          // checks it: "." or ".." would make <state_dir>/<instance>/current/bin/microvm-run
          // another directory's runner, and an escape (\x2d) is no name microvm-here makes.
          if (typeof unit !== "string" || !/^microvm@[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.service$/.test(unit)) {
            return polkit.Result.NOT_HANDLED;
          }
          if (${concatStringsSep " && " (map (v: "verb !== ${toJSON v}") polkitVerbs)}) {
            return polkit.Result.NOT_HANDLED;
          }
          if (!subject.isInGroup(${toJSON group})) {
            return polkit.Result.NOT_HANDLED;
          }
          return polkit.Result.YES;
        });
      '';

  # { shell, package } -> the file the interactive shell sources (installed by CMake).
  hookFile =
    { shell, package }:
    if elem shell shells then
      "${package}/share/microvm-here/microvm-here.${shell}"
    else
      throw "programs.microvm-here: no shell hook for ${toJSON shell}; supported: ${concatStringsSep ", " shells}.";

  # { shell, package } -> the line added to the interactive shell's init. Sourcing the installed
  # file costs no exec, unlike eval "$(microvm-here hook zsh)"; both print the same bytes.
  shellInit =
    { shell, package }:
    let
      file = hookFile { inherit shell package; };
    in
    if match "[A-Za-z0-9/._+-]+" file == null then
      throw "programs.microvm-here.package: its path ${toJSON file} has characters that would need shell quoting."
    else
      "source ${file}\n";
}
