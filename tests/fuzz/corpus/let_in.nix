{ lib ? null, ... }@args:
let
  base = "192.168.83";
  inherit (builtins) map;
  mk = n: { ipAddress = "${base}.${toString n}"; };
in
with builtins;
{
  a = mk 3 // { tapId = "microvm1"; mac = "02:00:00:00:00:02"; };
  b = {
    ipAddress = "${base}.4";
    tapId = "microvm2";
    mac = "02:00:00:00:00:03";
  };
}
