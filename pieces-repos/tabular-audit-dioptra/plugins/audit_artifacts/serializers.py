"""Artifact task classes (Dioptra 1.1+): serialize, deserialize and validation."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dioptra.sdk.api.artifact import ArtifactTaskInterface


class CsvTableArtifact(ArtifactTaskInterface):
    """A column-oriented table stored as CSV."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: dict[str, list[str]], **kwargs) -> Path:
        path = working_dir / f"{name}.csv"
        columns = list(contents)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=kwargs.get("delimiter", ","))
            writer.writerow(columns)
            writer.writerows(zip(*(contents[c] for c in columns)))
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> dict[str, list[str]]:
        with (working_dir / path).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        table: dict[str, list[str]] = {}
        for row in rows:
            for key, value in row.items():
                table.setdefault(key, []).append(value)
        return table

    @staticmethod
    def validation() -> dict[str, Any]:
        return {"delimiter": {"type": "string"}}


class JsonReportArtifact(ArtifactTaskInterface):
    """An audit summary stored as pretty-printed JSON."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: dict[str, Any], **kwargs) -> Path:
        path = working_dir / f"{name}.json"
        path.write_text(json.dumps(contents, indent=kwargs.get("indent", 2), sort_keys=True))
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> dict[str, Any]:
        return json.loads((working_dir / path).read_text())

    @staticmethod
    def validation() -> dict[str, Any]:
        return {"indent": {"type": "integer"}}
