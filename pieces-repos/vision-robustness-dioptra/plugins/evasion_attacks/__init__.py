"""Gradient-based evasion attacks."""
