"""Accuracy on clean and adversarial data, and the summary report."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def accuracy(classifier: Any, examples: dict[str, Any], top_k: int = 1) -> float:
    """Top-k accuracy of the classifier on the examples (placeholder scoring)."""
    samples = examples["samples"]
    if not samples:
        return 0.0
    correct = sum(1 for _, label in samples if label % max(1, top_k) == 0)
    return correct / len(samples)


@pyplugs.register
def robustness_report(
    clean_accuracy: float,
    adversarial_accuracy: float | None,
    class_weights: dict[str, float],
    tags: list[str],
    min_accuracy: float = 0.0,
) -> dict[str, Any]:
    """Summarise clean vs adversarial accuracy per class weight."""
    drop = None
    if adversarial_accuracy is not None:
        drop = clean_accuracy - adversarial_accuracy
    return {
        "clean": clean_accuracy,
        "adversarial": adversarial_accuracy,
        "drop": drop,
        "per_class": dict(class_weights),
        "tags": list(tags),
        "passed": clean_accuracy >= min_accuracy,
    }
