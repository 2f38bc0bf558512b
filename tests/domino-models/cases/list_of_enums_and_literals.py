from enum import IntEnum
from typing import List, Literal

from pydantic import BaseModel, Field


class Band(IntEnum):
    red = 1
    green = 2
    blue = 3


class InputModel(BaseModel):
    bands: List[Band] = Field(default=[Band.red, Band.blue], min_length=1)
    modes: list[Literal["fast", "slow"]] = ["fast"]
    matrix: List[List[int]] = [[1, 0], [0, 1]]
    flags: dict[str, bool] = {"b": True, "a": False}


class OutputModel(BaseModel):
    message: str
