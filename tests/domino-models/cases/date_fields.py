from datetime import date

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    start: date
    end: date = date(2024, 1, 31)
    maybe: date | None = Field(default=None, description="Maybe.")


class OutputModel(BaseModel):
    message: str
