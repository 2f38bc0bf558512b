from pydantic import BaseModel, Field


class InputModel(BaseModel):
    a: int = Field(ge=0, le=10)
    b: float = Field(default=0.5, ge=0, le=1.5)
    c: int = Field(default=4, multiple_of=2)


class OutputModel(BaseModel):
    message: str
