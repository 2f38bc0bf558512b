from typing import Optional

from pydantic import BaseModel, Field


class Settings(BaseModel):
    level: int = 0


class InputModel(BaseModel):
    settings: Optional[Settings] = None
    other: Settings | None = Field(default=None, description="Other.")
    required_settings: Optional[Settings]


class OutputModel(BaseModel):
    message: str
