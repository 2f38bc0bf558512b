"""Image dataset loading tasks."""
