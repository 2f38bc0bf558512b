from typing import List

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    code: str = Field(min_length=2, max_length=3)
    tags: List[str] = Field(default=[], min_length=1, max_length=5)
    pattern_field: str = Field(default="ab", pattern="^[a-z]+$")


class OutputModel(BaseModel):
    message: str
