"""One module per foreign source turned into the same change set as `partnerships add`: Code for
America's organizations list."""
