"""Small numeric tasks."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def load(
    path: str,
    size: int = 8,
    columns: list[str] | None = None,
    options: dict[str, Any] | None = None,
    strict: bool = False,
) -> list[float]:
    """Pretend to read `size` values from `path`."""
    if strict and not columns:
        raise ValueError("strict loading needs columns")
    return [float(i) for i in range(size)]


@pyplugs.register
def scale(values: list[float], factor: float) -> list[float]:
    return [v * factor for v in values]


@pyplugs.register
def summarize(values: list[float], label: str = "run") -> dict[str, Any]:
    return {"label": label, "total": sum(values)}
