from enum import Enum
from typing import Optional

from pydantic import BaseModel, Field


class Unit(str, Enum):
    meters = "m"
    feet = "ft"


class InputModel(BaseModel):
    unit: Optional[Unit] = None
    unit_described: Optional[Unit] = Field(default=Unit.feet, description="Unit.")
    units: list[Unit] = [Unit.meters]


class OutputModel(BaseModel):
    message: str
