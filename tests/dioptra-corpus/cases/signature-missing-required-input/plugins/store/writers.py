"""Artifact tasks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dioptra.sdk.api.artifact import ArtifactTaskInterface


class JsonStore(ArtifactTaskInterface):
    @staticmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        path = working_dir / f"{name}.json"
        path.write_text(json.dumps(contents))
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        return json.loads((working_dir / path).read_text())

    @staticmethod
    def validation() -> dict[str, Any]:
        return {}
