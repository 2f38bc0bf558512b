from typing import List

from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str
    quantity: int = 1


class InputModel(BaseModel):
    items: List[Item] = Field(
        default=[Item(name="a"), Item(name="b", quantity=2)],
        description="Items.",
    )
    empty_items: List[Item] = []


class OutputModel(BaseModel):
    message: str
