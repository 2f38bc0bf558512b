from pydantic import BaseModel, Field


class InputModel(BaseModel):
    name: str = Field(description="The name.")
    count: int = Field(default=1, description="How many (at least one).")


class OutputModel(BaseModel):
    message: str
