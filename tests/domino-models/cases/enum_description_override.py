from enum import Enum

from pydantic import BaseModel, Field


class Fruit(str, Enum):
    """Fruits."""
    apple = "apple"
    pear = "pear"
    also_apple = "apple"


class InputModel(BaseModel):
    same: Fruit = Field(description="Fruits.")
    different: Fruit = Field(description="Other text.")
    titled_same: Fruit = Field(title="Fruit")


class OutputModel(BaseModel):
    message: str
