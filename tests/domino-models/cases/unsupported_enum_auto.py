from enum import Enum, auto

from pydantic import BaseModel


class Color(Enum):
    red = auto()  # unsupported
    blue = auto()


class InputModel(BaseModel):
    color: Color = Color.red


class OutputModel(BaseModel):
    message: str
