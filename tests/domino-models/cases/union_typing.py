from typing import Optional, Union

from pydantic import BaseModel


class InputModel(BaseModel):
    a: Union[int, str]
    b: Union[int, str, None] = None
    c: Union[str, float] = "x"
    d: Optional[Union[int, str]] = 1


class OutputModel(BaseModel):
    message: str
