from enum import Enum

from pydantic import BaseModel


class Shape(Enum):
    circle = "circle"
    square = "square"


class InputModel(BaseModel):
    shape: Shape = Shape.square


class OutputModel(BaseModel):
    message: str
