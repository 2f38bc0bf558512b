"""Numeric tasks."""
