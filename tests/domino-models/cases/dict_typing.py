from typing import Any, Dict

from pydantic import BaseModel


class InputModel(BaseModel):
    a: Dict[str, str]
    b: Dict[str, int] = {"z": 1, "a": 2}
    c: Dict[str, Any] = {}
    d: Dict = {"k": [1, 2]}


class OutputModel(BaseModel):
    message: str
