{ }:

{
  "alias-watch" = {
    ipAddress = "192.168.83.4";
    tapId = "microvm2";
    mac = "02:00:00:00:00:03";
    vsockCid = 1004;
  };

  nixfiles = {
    ipAddress = "192.168.83.3";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
    vsockCid = 1003;
  };
}
