"""Population stability index of one categorical column."""

from __future__ import annotations

import math

from dioptra import pyplugs


def _shares(values: list[str]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    total = max(1, len(values))
    return {key: count / total for key, count in counts.items()}


@pyplugs.register
def population_stability(
    reference: dict[str, list[str]],
    current: dict[str, list[str]],
    column: str,
    floor: float = 1e-4,
) -> float:
    """PSI of `column` between the reference and current tables."""
    ref = _shares(reference[column])
    cur = _shares(current[column])
    psi = 0.0
    for key in set(ref) | set(cur):
        r = max(ref.get(key, 0.0), floor)
        c = max(cur.get(key, 0.0), floor)
        psi += (c - r) * math.log(c / r)
    return psi
