from typing import Optional

from pydantic import BaseModel


class Later(BaseModel):
    value: int = 1


class InputModel(BaseModel):
    later: Optional["Later"] = None  # unsupported


class OutputModel(BaseModel):
    message: str
