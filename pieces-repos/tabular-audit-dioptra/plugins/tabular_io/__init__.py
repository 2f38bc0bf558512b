"""Reading delimited tables."""
