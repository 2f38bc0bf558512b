from pydantic import BaseModel


class InputModel(BaseModel):
    """Input of the piece."""
    name: str


class OutputModel(BaseModel):
    message: str
