"""Reports for admins: the daily team report and the sections it is built from."""
