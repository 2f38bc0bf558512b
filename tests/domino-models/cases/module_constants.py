from pydantic import BaseModel, Field

DEFAULT_NAME = "constant"
DEFAULT_LIMIT = 10
DEFAULT_LIST = ["a", "b"]


class InputModel(BaseModel):
    name: str = DEFAULT_NAME
    limit: int = Field(default=DEFAULT_LIMIT, le=DEFAULT_LIMIT * 10)
    items: list[str] = DEFAULT_LIST


class OutputModel(BaseModel):
    message: str
