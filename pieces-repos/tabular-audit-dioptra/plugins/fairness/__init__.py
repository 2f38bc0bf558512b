"""Group fairness metrics."""
