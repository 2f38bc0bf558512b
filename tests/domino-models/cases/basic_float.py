from pydantic import BaseModel


class InputModel(BaseModel):
    ratio: float


class OutputModel(BaseModel):
    message: str
