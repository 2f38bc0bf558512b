from pydantic import BaseModel, Field


class InputModel(BaseModel):
    required_explicit: str = Field(...)
    positional: int = Field(5)
    keyword: str = Field(default="x")
    none_default: str = Field(None)


class OutputModel(BaseModel):
    message: str
