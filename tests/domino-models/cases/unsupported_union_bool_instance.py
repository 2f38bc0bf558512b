from typing import List, Union

from pydantic import BaseModel


class Argument(BaseModel):
    value: Union[str, int, bool]


class InputModel(BaseModel):
    arguments: List[Argument] = [Argument(value=True)]  # unsupported


class OutputModel(BaseModel):
    message: str
