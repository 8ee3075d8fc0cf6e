{
	a = {
		ipAddress = "10.0.0.3";
	};
	b = {
		ipAddress = "10.0.0.4";
	};
}