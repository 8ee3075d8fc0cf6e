# Profiles for microvm-here. { braces ; and "quotes" in comments }
{ ... }: /* block comment
  spanning lines { ; */
{
  # old = { ipAddress = "192.168.83.9"; };
  web = { # the web project
    ipAddress = /* inline */ "192.168.83.3";
    tapId = "microvm1"; mac = "02:00:00:00:00:02";
    vsockCid = null;
  };

  # trailing comment before the brace
}
