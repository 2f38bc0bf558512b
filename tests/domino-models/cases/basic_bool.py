from pydantic import BaseModel


class InputModel(BaseModel):
    enabled: bool


class OutputModel(BaseModel):
    message: str
