from pydantic import BaseModel, Field


class InputModel(BaseModel):
    a: int = Field(gt=0, lt=10)
    b: float = Field(default=0.5, gt=0.0, lt=1.0)


class OutputModel(BaseModel):
    message: str
