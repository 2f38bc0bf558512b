"""Tasks that load image-folder datasets and describe their class balance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dioptra import pyplugs

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


@pyplugs.register
def load_image_folder(
    data_dir: str,
    image_size: list[int],
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int | None = None,
) -> dict[str, Any]:
    """Index an image-folder dataset (one sub-folder per class)."""
    root = Path(data_dir)
    classes = sorted(p.name for p in root.iterdir() if p.is_dir())
    samples = [
        (str(path), label)
        for label, name in enumerate(classes)
        for path in sorted((root / name).iterdir())
        if path.suffix.lower() in IMAGE_SUFFIXES
    ]
    if shuffle:
        import random

        random.Random(seed).shuffle(samples)
    return {
        "classes": classes,
        "samples": samples,
        "image_size": tuple(image_size),
        "batch_size": batch_size,
    }


@pyplugs.register
def class_balance(dataset: dict[str, Any]) -> dict[str, float]:
    """Fraction of samples per class."""
    counts: dict[str, int] = {name: 0 for name in dataset["classes"]}
    for _, label in dataset["samples"]:
        counts[dataset["classes"][label]] += 1
    total = max(1, sum(counts.values()))
    return {name: count / total for name, count in counts.items()}
