# Profils für die Maschinen — 日本語 ✓ émoji 🚀
{
  "café" = {
    ipAddress = "192.168.83.3";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
    description = "Zürich → 東京 \u00e9";
  };
  "naïve" = { };
}
