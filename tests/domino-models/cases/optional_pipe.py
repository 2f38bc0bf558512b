from pydantic import BaseModel, Field


class InputModel(BaseModel):
    a: str | None = None
    b: int | None = Field(default=None, description="B.")
    c: None | float = None


class OutputModel(BaseModel):
    message: str
