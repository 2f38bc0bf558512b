"""Robustness metrics."""
