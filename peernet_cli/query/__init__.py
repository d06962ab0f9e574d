"""Questions over a loaded registry: listings, show, search, related brigades, reports as data."""
