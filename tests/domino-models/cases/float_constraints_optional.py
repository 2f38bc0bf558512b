from typing import Optional

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    a: Optional[float] = Field(default=None, ge=0, lt=10)
    b: float = Field(default=0.25, multiple_of=0.05)
    c: Optional[int] = Field(default=None, le=100, multiple_of=5)
    d: float = Field(default=1, gt=-1)


class OutputModel(BaseModel):
    message: str
