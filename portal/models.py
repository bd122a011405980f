"""Portal models arrive with the online-hall issue."""
