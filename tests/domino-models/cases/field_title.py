from pydantic import BaseModel, Field


class InputModel(BaseModel):
    name: str = Field(title="Custom Title")
    count: int = Field(default=1, title="Number of things")


class OutputModel(BaseModel):
    message: str
