"""Projected Gradient Descent (L-inf or L2)."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def pgd_attack(
    classifier: Any,
    dataset: dict[str, Any],
    config: dict[str, Any],
    random_init: bool = True,
) -> tuple[dict[str, Any], int]:
    """Run PGD with the given step configuration; returns examples and query count."""
    steps = int(config["steps"])
    queries = steps * len(dataset["samples"])
    adversarial = {
        "attack": "pgd",
        "classifier": classifier,
        "norm": config["norm"],
        "epsilon": float(config["epsilon"]),
        "step_size": float(config["step_size"]),
        "random_init": random_init,
        "samples": dataset["samples"],
    }
    return adversarial, queries
