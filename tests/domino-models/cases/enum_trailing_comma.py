from enum import Enum
from typing import List

from pydantic import BaseModel, Field


class Source(str, Enum):
    """A `(str, Enum)` whose members end with a comma: `str(*("url",))`."""
    url = "url",
    file = "file"


class Level(int, Enum):
    low = 1,
    high = 2


class Pair(Enum):
    one = "one",
    two = 1, 2
    listed = [1, 2]


class InputModel(BaseModel):
    source: Source = Source.url
    sources: List[Source] = [Source.url, Source.file]
    level: Level = Field(default=Level.low, description="A level.")
    pair: Pair = Pair.two
    first: Pair = Field(default=Pair.one)
    raw: str = Source.url.value


class OutputModel(BaseModel):
    level: Level
