from pydantic import BaseModel


class InputModel(BaseModel):
    a: dict[str, float]
    b: dict = {}
    c: dict[str, list[str]] = {"b": ["x"], "a": []}


class OutputModel(BaseModel):
    message: str
