{ lib, ... }:
lib.mkMerge [
  (import ./base.nix { })
  { extra = { ipAddress = "10.0.0.9"; }; }
]
