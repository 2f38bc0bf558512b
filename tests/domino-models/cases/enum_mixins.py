from enum import Enum, IntEnum

from pydantic import BaseModel, Field


class Ratio(float, Enum):
    """pydantic 2.4.2 gives a float enum the type `numeric`."""
    half = 0.5
    one = 1
    also_one = True


class Point(tuple, Enum):
    origin = [0, 0]
    unit = (1, 1),


class Only(Enum):
    single = "single"


class OnlyNumber(Enum):
    single = 3


class Mixed(Enum):
    a = 1
    b = 1.0
    c = "c"
    d = None
    e = True


class Level(IntEnum):
    low = True
    high = 2.0


class Name(str, Enum):
    one = 1
    yes = True


class InputModel(BaseModel):
    ratio: Ratio = Ratio.one
    also: Ratio = Field(default=Ratio.also_one)
    point: Point = Point.unit
    only: Only = Only.single
    only_number: OnlyNumber = OnlyNumber.single
    mixed: Mixed = Mixed.b
    level: Level = Level.low
    name: Name = Name.yes


class OutputModel(BaseModel):
    ratio: Ratio
