from pydantic import BaseModel


class Inner(BaseModel):
    """An inner model."""
    x: int
    y: int = 0


class InputModel(BaseModel):
    inner: Inner


class OutputModel(BaseModel):
    message: str
