{
  outer = {
    ipAddress = "192.168.83.3";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
    vsockCid = 1003;
    extra = { a = { b = { c = [ 1 2 { d = "}"; } ]; }; }; list = [ [ ] [ [ ] ] ]; };
    mounts = [ { source = "/nix/store"; target = "/nix/.ro-store"; } ];
    fn = x: y: { inherit x; z = y; };
    cond = if true then { } else { a = 1; };
  };
  second.ipAddress = "192.168.83.4";
  second.extra.deep.er = null;
}
