"""Group fairness metrics over a column-oriented table."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


def _rates(table: dict[str, list[str]], group_column: str, column: str) -> dict[str, float]:
    totals: dict[str, int] = {}
    positives: dict[str, int] = {}
    for group, value in zip(table[group_column], table[column]):
        totals[group] = totals.get(group, 0) + 1
        positives[group] = positives.get(group, 0) + (1 if value in ("1", "true") else 0)
    return {group: positives[group] / totals[group] for group in totals}


@pyplugs.register
def demographic_parity(
    table: dict[str, list[str]], group_column: str, prediction_column: str = "prediction"
) -> tuple[float, dict[str, float]]:
    """Largest gap in positive-prediction rate between groups."""
    rates = _rates(table, group_column, prediction_column)
    gap = max(rates.values()) - min(rates.values()) if rates else 0.0
    return gap, rates


@pyplugs.register
def true_positive_parity(
    table: dict[str, list[str]],
    group_column: str,
    prediction_column: str = "prediction",
    label_column: str = "label",
) -> tuple[float, dict[str, float]]:
    """Largest gap in true-positive rate between groups (equal opportunity)."""
    positives = {
        name: [v for v, label in zip(values, table[label_column]) if label in ("1", "true")]
        for name, values in table.items()
    }
    rates = _rates(positives, group_column, prediction_column)
    gap = max(rates.values()) - min(rates.values()) if rates else 0.0
    return gap, rates


@pyplugs.register
def audit_summary(
    metric: str, gap: float, threshold: float, group_rates: dict[str, float]
) -> dict[str, Any]:
    """Pass/fail verdict of one fairness metric."""
    return {
        "metric": metric,
        "gap": gap,
        "threshold": threshold,
        "passed": gap <= threshold,
        "group_rates": dict(group_rates),
    }
