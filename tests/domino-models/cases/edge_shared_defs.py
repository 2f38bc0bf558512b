from enum import Enum
from typing import Dict, List

from pydantic import BaseModel, Field


class Unit(str, Enum):
    """Unit of measure."""
    kg = "kg"
    lb = "lb"


class Weight(BaseModel):
    """A weight."""
    value: float
    unit: Unit = Unit.kg


class Parcel(BaseModel):
    weights: List[Weight] = Field(default_factory=list)
    by_name: Dict[str, Weight] = {}
    unit: Unit


class InputModel(BaseModel):
    parcel: Parcel
    extra_unit: Unit = Field(default=Unit.lb, description="Unit of measure.")
    weight: Weight = Weight(value=2)


class OutputModel(BaseModel):
    parcels: List[Parcel]
    total: Weight
