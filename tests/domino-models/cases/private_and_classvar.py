from typing import ClassVar

from pydantic import BaseModel


class InputModel(BaseModel):
    kind: ClassVar[str] = "input"
    _cache: dict = {}
    name: str


class OutputModel(BaseModel):
    message: str
