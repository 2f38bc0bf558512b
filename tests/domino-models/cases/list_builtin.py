from pydantic import BaseModel


class InputModel(BaseModel):
    a: list[str]
    b: list[int] = [1, 2]
    c: list = ["x", 1]
    d: list[float] | None = None


class OutputModel(BaseModel):
    message: str
