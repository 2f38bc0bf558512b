"""Fast Gradient Sign Method."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def fgsm_attack(
    classifier: Any,
    dataset: dict[str, Any],
    epsilon: float | list[float],
    targeted: bool = False,
) -> dict[str, Any]:
    """Craft adversarial examples for every sample, one epsilon or a sweep."""
    epsilons = epsilon if isinstance(epsilon, list) else [epsilon]
    return {
        "attack": "fgsm",
        "classifier": classifier,
        "epsilons": epsilons,
        "targeted": targeted,
        "samples": dataset["samples"],
    }
