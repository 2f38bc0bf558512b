from pydantic import BaseModel, Field


class InputModel(BaseModel):
    city: str = Field(examples=["Lisbon", "Porto"])
    size: float = Field(default=1.0, examples=[1.5, 2])


class OutputModel(BaseModel):
    message: str
