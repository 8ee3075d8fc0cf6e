# Cases for nix/lib.nix, evaluated without nixpkgs by tests/integration/nix_lib_eval.sh (through
# nix-instantiate) and by the flake check lib-and-modules; tests/nix/check_cases.py compares.
#   cases:      { name, got, expected } with literal expected values;
#   roundtrips: { name, value, toml } where a real TOML parser must read toml back as value.
let
  mvh = import ../../nix/lib.nix;
  inherit (builtins)
    concatStringsSep
    fromJSON
    genList
    map
    substring
    tryEval
    ;

  hex = n: substring (n / 16) 1 "0123456789abcdef" + substring (n - (n / 16) * 16) 1 "0123456789abcdef";
  char = n: fromJSON "\"\\u00${hex n}\"";
  allControls = concatStringsSep "" (map char (genList (i: i + 1) 31 ++ [ 127 ]));

  # Whether evaluating v (deeply) throws; the message itself is checked by nix_lib_eval.sh.
  throws = v: !(tryEval (builtins.deepSeq v v)).success;

  pkg = "/nix/store/00000000000000000000000000000000-microvm-here-0.1.0";

  realistic = {
    nixfiles = "~/nixfiles";
    profiles = "hosts/framework/nixos/microvms/profiles.nix";
    rebuild = [
      "just"
      "switch"
    ];
    subnet = "192.168.83.0/24";
    gateway = "192.168.83.1";
    ssh_port = 22;
    boot_timeout = 120;
    hook = "status";
  };
  escapes = {
    s = "quote\" backslash\\ nl\n tab\t cr\r ${char 1}${char 8}${char 12}${char 27}${char 127} é";
  };
  keys = {
    "a b" = 1;
    "k.x" = 2;
    "ok_key-1" = 3;
    "" = 4;
  };
  tables = {
    top = 1;
    t = {
      x = "y";
      l = [ 1 2 ];
    };
    u = { };
    a = {
      b = {
        c = true;
      };
    };
  };

  case = name: got: expected: { inherit name got expected; };
in
{
  cases = [
    # toTOML
    (case "toTOML: {} gives an empty file" (mvh.toTOML { }) "")
    (case "toTOML: a realistic configuration, keys sorted" (mvh.toTOML realistic) ''
      boot_timeout = 120
      gateway = "192.168.83.1"
      hook = "status"
      nixfiles = "~/nixfiles"
      profiles = "hosts/framework/nixos/microvms/profiles.nix"
      rebuild = ["just", "switch"]
      ssh_port = 22
      subnet = "192.168.83.0/24"
    '')
    (case "toTOML: quotes, backslashes and control characters escaped, UTF-8 kept" (mvh.toTOML escapes)
      "s = \"quote\\\" backslash\\\\ nl\\n tab\\t cr\\r \\u0001\\b\\f\\u001b\\u007f é\"\n"
    )
    (case "toTOML: keys that are not bare are quoted" (mvh.toTOML keys) ''
      "" = 4
      "a b" = 1
      "k.x" = 2
      ok_key-1 = 3
    '')
    (case "toTOML: booleans, negative integers, empty and integer lists"
      (mvh.toTOML {
        b = false;
        n = -5;
        e = [ ];
        l = [
          1
          2
        ];
      })
      ''
        b = false
        e = []
        l = [1, 2]
        n = -5
      ''
    )
    (case "toTOML: plain keys first, then tables, nested tables dotted" (mvh.toTOML tables) ''
      top = 1

      [a]

      [a.b]
      c = true

      [t]
      l = [1, 2]
      x = "y"

      [u]
    '')
    (case "toTOML: a file of tables only starts with its first header"
      (mvh.toTOML { t.a = 1; })
      ''
        [t]
        a = 1
      ''
    )
    (case "toTOML: a float throws" (throws (mvh.toTOML { x = 1.5; })) true)
    (case "toTOML: null throws" (throws (mvh.toTOML { x = null; })) true)
    (case "toTOML: a table inside a list throws" (throws (mvh.toTOML { x = [ { a = 1; } ]; })) true)
    (case "toTOML: a function throws" (throws (mvh.toTOML { x = y: y; })) true)
    (case "toTOML: settings that are not an attribute set throw" (throws (mvh.toTOML [ ])) true)

    # tmpfilesRule
    (case "tmpfilesRule: defaults" (mvh.tmpfilesRule { })
      "d /var/lib/microvm-workspaces 1775 root microvm-here - -"
    )
    (case "tmpfilesRule: own path and group"
      (mvh.tmpfilesRule {
        path = "/srv/vm-workspaces";
        group = "vmusers";
      })
      "d /srv/vm-workspaces 1775 root vmusers - -"
    )
    (case "tmpfilesRule: a relative path throws" (throws (mvh.tmpfilesRule { path = "var/ws"; })) true)
    (case "tmpfilesRule: a path with a space throws" (throws (mvh.tmpfilesRule { path = "/var/my ws"; })) true)
    (case "tmpfilesRule: a path that is not a string throws" (throws (mvh.tmpfilesRule { path = 5; })) true)
    (case "tmpfilesRule: an upper-case group throws" (throws (mvh.tmpfilesRule { group = "Users"; })) true)
    (case "tmpfilesRule: a group with a space throws" (throws (mvh.tmpfilesRule { group = "a b"; })) true)
    (case "tmpfilesRule: a 33-character group throws"
      (throws (mvh.tmpfilesRule { group = "a12345678901234567890123456789012"; }))
      true
    )
    (case "tmpfilesRule: a 32-character group is fine"
      (mvh.tmpfilesRule { group = "a1234567890123456789012345678901"; })
      "d /var/lib/microvm-workspaces 1775 root a1234567890123456789012345678901 - -"
    )

    # polkitRule (its behaviour is tested under node by nix_polkit.sh)
    (case "polkitRule: a group with a quote throws" (throws (mvh.polkitRule { group = "a\"b"; })) true)
    (case "polkit constants" {
      inherit (mvh) polkitAction polkitVerbs defaultGroup;
    } {
      polkitAction = "org.freedesktop.systemd1.manage-units";
      polkitVerbs = [
        "start"
        "stop"
        "restart"
      ];
      defaultGroup = "microvm-here";
    })

    # shellInit / hookFile
    (case "shellInit: zsh" (mvh.shellInit {
      shell = "zsh";
      package = pkg;
    }) "source ${pkg}/share/microvm-here/microvm-here.zsh\n")
    (case "shellInit: bash" (mvh.shellInit {
      shell = "bash";
      package = pkg;
    }) "source ${pkg}/share/microvm-here/microvm-here.bash\n")
    (case "shellInit: fish" (mvh.shellInit {
      shell = "fish";
      package = pkg;
    }) "source ${pkg}/share/microvm-here/microvm-here.fish\n")
    (case "shellInit: an unknown shell throws" (throws (mvh.shellInit {
      shell = "tcsh";
      package = pkg;
    })) true)
    (case "shellInit: a package path that needs quoting throws" (throws (mvh.shellInit {
      shell = "zsh";
      package = "/nix/store/x y";
    })) true)
  ];

  roundtrips = [
    {
      name = "realistic configuration";
      value = realistic;
      toml = mvh.toTOML realistic;
    }
    {
      name = "escapes";
      value = escapes;
      toml = mvh.toTOML escapes;
    }
    {
      name = "every control character";
      value = {
        s = allControls;
      };
      toml = mvh.toTOML { s = allControls; };
    }
    {
      name = "quoted keys";
      value = keys;
      toml = mvh.toTOML keys;
    }
    {
      name = "tables";
      value = tables;
      toml = mvh.toTOML tables;
    }
  ];
}
