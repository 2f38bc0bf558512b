from typing import Annotated

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    count: Annotated[int, Field(ge=1, description="Count.")] = 5
    name: Annotated[str, Field(min_length=1)]


class OutputModel(BaseModel):
    message: str
