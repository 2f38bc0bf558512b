from pydantic import BaseModel


class Common(BaseModel):
    """Common fields."""
    a: int


class Middle(Common):
    b: str = "b"


class InputModel(Middle):
    c: float = 1.5


class OutputModel(Common):
    """Own docstring."""
