"""Loading a trained classifier from an MLflow-style model URI."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def load_classifier(model_uri: str, device: str = "cpu") -> Any:
    """Return a handle describing the classifier to evaluate."""
    return {"uri": model_uri, "device": device}
