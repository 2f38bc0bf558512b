from enum import Enum

from pydantic import BaseModel, Field


class Mode(str, Enum):
    a = "a"
    b = "b"


class Point(BaseModel):
    x: float = 0.0
    y: float = 0.0


DEFAULT_MODE = Mode.b
ORIGIN = Point(x=1, y=2)
SCALE = 2.5 * 2
LABEL = "pre" + "fix"


class InputModel(BaseModel):
    mode: Mode = DEFAULT_MODE
    origin: Point = Field(default=ORIGIN, description="Origin.")
    scale: float = SCALE
    label: str = LABEL
    mode_value: str = Mode.a.value


class OutputModel(BaseModel):
    message: str
