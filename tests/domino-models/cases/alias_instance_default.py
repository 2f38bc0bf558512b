from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    item_name: str = Field(alias="itemName")
    size: int = Field(default=1, alias="Size")


class InputModel(BaseModel):
    items: list[Item] = [Item(itemName="a"), Item(item_name="b", size=3)]


class OutputModel(BaseModel):
    message: str
