{ }:
{
  "we\"ird\\name" = {
    ipAddress = "192.168.83.3";
    tapId = "microvm\t1";
    mac = "02:00:00:00:00:02";
    note = "line\nbreak \${not} $${not} \r \\ \" '' ";
  };
  "dollar\${x}" = { ipAddress = "192.168.83.4"; };
  "a'b" = { tapId = ''indented ''${x} ''' ''\n''; };
}
