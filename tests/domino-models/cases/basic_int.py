from pydantic import BaseModel


class InputModel(BaseModel):
    count: int


class OutputModel(BaseModel):
    message: str
