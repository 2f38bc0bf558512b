from pydantic import BaseModel, Field

from .shared import Format, DEFAULT_NAME
from . import shared


class InputModel(BaseModel):
    name: str = DEFAULT_NAME
    format: Format = Field(default=Format.json)
    other: shared.Format = shared.Format.csv


class OutputModel(BaseModel):
    path: str = shared.DEFAULT_NAME + ".out"
