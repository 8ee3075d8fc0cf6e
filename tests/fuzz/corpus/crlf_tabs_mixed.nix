{ }:
{
	mixed = {
		ipAddress = "192.168.83.3";
		tapId = "microvm1";   
  	mac = "02:00:00:00:00:02";
	};
	# comment before close
}