"""Artifact tasks."""
