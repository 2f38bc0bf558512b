"""Tasks that read delimited text tables into a column-oriented dictionary."""

from __future__ import annotations

import csv
from pathlib import Path

from dioptra import pyplugs


@pyplugs.register
def load_table(path: str, delimiter: str = ",", encoding: str = "utf-8") -> dict[str, list[str]]:
    """Read a delimited file; returns {column: values}."""
    with Path(path).open(newline="", encoding=encoding) as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    columns: dict[str, list[str]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, []).append(value)
    return columns


@pyplugs.register
def select_columns(table: dict[str, list[str]], columns: list[str]) -> dict[str, list[str]]:
    """Keep only the named columns, in the given order."""
    missing = [name for name in columns if name not in table]
    if missing:
        raise KeyError(f"columns not in table: {missing}")
    return {name: table[name] for name in columns}
