from enum import Enum

from pydantic import BaseModel, Field


class Level(int, Enum):
    low = 1
    medium = 2
    high = 3


class InputModel(BaseModel):
    level: Level = Field(default=Level.medium, description="Level.")


class OutputModel(BaseModel):
    message: str
