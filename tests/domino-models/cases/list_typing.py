from typing import List

from pydantic import BaseModel


class InputModel(BaseModel):
    a: List[str]
    b: List[int] = [1, 2, 3]
    c: List[List[float]] = [[1.0, 2.5]]
    d: List = []


class OutputModel(BaseModel):
    message: str
