from pydantic import BaseModel


class InputModel(BaseModel):
    name: str


class OutputModel(BaseModel):
    message: str
