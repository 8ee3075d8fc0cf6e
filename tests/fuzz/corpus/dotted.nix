{
  foo.ipAddress = "10.0.0.3";
  foo.tapId = "microvm1";
  foo.mac = "02:00:00:00:00:02";

  bar = { ipAddress = "10.0.0.4"; };
  bar.tapId = "microvm2";
  "quoted name" = { };
  "with" = { };
}
