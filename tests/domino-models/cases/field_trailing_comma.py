from typing import List

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """A trailing comma makes a default a tuple."""
    ratio: float = Field(default=1.0, description="Lost: the tuple holds the FieldInfo."),
    size: float = 2.0,
    names: List[str] = ["a"],
    both: int = (Field(default=1), 2)
    kept: int = Field(default=3, description="Kept.")


class OutputModel(BaseModel):
    value: str = Field(description="Out."),
