{ pkgs ? null }:
rec {
  base = {
    ipAddress = "192.168.83.3";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
  };
  copy = base // { ipAddress = "192.168.83.4"; };
  third = { inherit (base) tapId; ipAddress = "192.168.83.5"; };
}
