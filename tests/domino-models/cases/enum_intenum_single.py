from enum import IntEnum

from pydantic import BaseModel


class Only(IntEnum):
    one = 1


class InputModel(BaseModel):
    only: Only = Only.one


class OutputModel(BaseModel):
    message: str
