from enum import Enum

from pydantic import BaseModel


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class InputModel(BaseModel):
    color: Color


class OutputModel(BaseModel):
    message: str
