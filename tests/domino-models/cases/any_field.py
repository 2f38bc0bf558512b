from typing import Any

from pydantic import BaseModel


class InputModel(BaseModel):
    anything: Any
    maybe: Any = None


class OutputModel(BaseModel):
    message: str
