from typing import Optional

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    a: Optional[str]
    b: Optional[int] = None
    c: Optional[float] = Field(default=None, description="C.")
    d: Optional[str] = Field(default=None, min_length=2)
    e: Optional[int] = Field(default=3, ge=1)


class OutputModel(BaseModel):
    message: str
