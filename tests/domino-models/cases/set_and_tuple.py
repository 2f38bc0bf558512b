from typing import Set, Tuple

from pydantic import BaseModel


class InputModel(BaseModel):
    tags: Set[str] = set()
    pair: Tuple[int, ...] = (1, 2)


class OutputModel(BaseModel):
    message: str
