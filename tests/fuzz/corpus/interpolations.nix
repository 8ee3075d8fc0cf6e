args:
{
  tricky = {
    ipAddress = "192.168.83.3";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
    extraZshInit = ''
      echo "}" ${let x = { a = "}"; b = { c = ";"; }; }; in x.a} ''${HOME} ''' ''\n $${x}
    '';
    workspace = "/srv/${"a" + "}"}/b;c \" \${x} $${y}";
    extraModules = [ ./tricky.nix ../shared/${"x"}.nix <nixpkgs/lib> ~/home.nix ];
    relativeMounts = [ { source = "a"; target = "/b"; } ];
    overlaySizeMiB = 1024 * 2;
    url = https://example.org/x?y=z;
    autostart = true && !false || 1.5e2 >= 2;
  };
}
