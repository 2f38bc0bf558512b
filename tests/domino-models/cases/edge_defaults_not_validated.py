from enum import Enum
from typing import List, Literal, Optional, Union

from pydantic import BaseModel, Field


class Kind(str, Enum):
    a = "a"
    b = "b"


class Item(BaseModel):
    name: str
    kind: Kind = Kind.a


class Holder(BaseModel):
    item: Optional[Item] = None
    kinds: List[Kind] = [Kind.b]


class InputModel(BaseModel):
    raw_items: List[Item] = [{"name": "raw", "zeta": 1}]
    maybe_item: Optional[Item] = Item(name="x", kind="b")
    holder: Holder = Holder(item=Item(name="inner"))
    mixed: Union[Literal["auto"], int] = "auto"
    none_description: str = Field(default="d", description=None, title=None)
    kind_as_str: str = Kind.b
    overriding_extra: int = Field(default=1, json_schema_extra={"title": "Extra Title", "type": "number"})


class OutputModel(BaseModel):
    message: str
