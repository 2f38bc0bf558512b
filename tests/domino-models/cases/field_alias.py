from pydantic import BaseModel, Field


class InputModel(BaseModel):
    class_name: str = Field(alias="class")
    value: int = Field(default=1, alias="Value")


class OutputModel(BaseModel):
    message: str
