"""Constructs whose schemas differ between pydantic 2.4.2 and 2.11.7."""
from enum import Enum
from typing import Dict, List, Literal, Optional

from pydantic import BaseModel, Field


class Color(str, Enum):
    """The one color."""
    red = "red"


class Size(int, Enum):
    small = 1
    large = 2


class Point(BaseModel):
    """A point."""
    y: float = 0.0
    x: float = 0.0


class InputModel(BaseModel):
    one: Literal[3] = 3
    flag: Literal[True] = True
    by_name: Dict[Literal["a", "b"], int] = {"b": 2, "a": 1}
    by_color: Dict[Color, str] = {}
    anything: dict = {}
    default: int = Field(default=1, description="A field named default.", ge=0)
    color: Color = Field(default=Color.red, description="The one color.")
    size: Size = Field(default=Size.small, title="Size")
    point: Point = Field(default=Point(x=1.0, y=2.0), title="Point", description="Where.")
    points: List[Point] = [Point(x=3.0, y=4.0)]
    maybe: Optional[Point] = Field(default=None, description="Maybe.")
    ratio: float = Field(default=0.5, gt=0, le=1)


class OutputModel(BaseModel):
    size: Size
    color: Color = Field(description="Picked.")
