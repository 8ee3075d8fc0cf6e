{ }: { a = { ipAddress = "10.0.0.3"; tapId = "microvm1"; }; b = rec { ipAddress = "10.0.0.4"; x = ipAddress; }; }
