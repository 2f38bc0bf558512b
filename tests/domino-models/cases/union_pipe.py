from pydantic import BaseModel


class InputModel(BaseModel):
    a: int | str
    b: int | str | None = None
    c: bool | int = True


class OutputModel(BaseModel):
    message: str
