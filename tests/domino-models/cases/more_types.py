from datetime import timedelta
from pathlib import Path
from typing import FrozenSet, Literal, Optional, Tuple
from uuid import UUID

from pydantic import BaseModel, ConfigDict, SecretStr


class InputModel(BaseModel):
    model_config: ConfigDict = ConfigDict(extra="forbid")
    path: Path = "/tmp/data"
    maybe_path: Optional[Path] = None
    duration: timedelta
    identifier: UUID
    payload: bytes
    numbers: FrozenSet[int]
    anything: tuple
    any_tuple: Tuple = ()
    choice: Literal["a", None] = None


class OutputModel(BaseModel):
    message: str


class SecretsModel(BaseModel):
    PASSWORD: SecretStr
    OPTIONAL_PASSWORD: Optional[SecretStr] = None
