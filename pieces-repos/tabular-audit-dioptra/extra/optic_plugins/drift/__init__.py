"""Distribution drift between two tables."""
