"""Artifact tasks: how audit outputs are serialized and read back."""
