from pydantic import BaseModel, Field


class Box(BaseModel):
    min_x: float
    max_x: float
    label: str = "box"
    count: int = 1


class InputModel(BaseModel):
    box: Box = Field(default=Box(min_x=-180, max_x=180.0), description="Area.")
    plain_box: Box = Box(min_x=0.0, max_x=1.0, label="plain", count=2)


class OutputModel(BaseModel):
    message: str
