from typing import Literal

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    mode: Literal["a", "b", "c"] = "a"
    single: Literal["only"] = Field(default="only", description="Single.")


class OutputModel(BaseModel):
    message: str
