# A stand-in for the few nixpkgs lib functions nix/*-module.nix and nix/options.nix call, so
# tests/nix/module_cases.nix can evaluate the modules without nixpkgs. mkIf, mkMerge and mkDefault
# keep their structure (as in nixpkgs) and module_cases.nix resolves them; types are only names.
# It proves what the modules define from given option values, not how the module system merges.
rec {
  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption =
    name:
    mkOption {
      type = types.bool;
      default = false;
      description = "Whether to enable ${name}.";
    };
  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkMerge = contents: {
    _type = "merge";
    inherit contents;
  };
  mkDefault = content: {
    _type = "override";
    priority = 1000;
    inherit content;
  };
  literalExpression = text: {
    _type = "literalExpression";
    inherit text;
  };
  literalMD = text: {
    _type = "literalMD";
    inherit text;
  };
  types = {
    bool = "bool";
    int = "int";
    str = "str";
    package = "package";
    oneOf = ts: { oneOf = ts; };
    listOf = t: { listOf = t; };
    attrsOf = t: { attrsOf = t; };
  };
}
