from typing import Dict, List

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    items: List[str] = Field(default_factory=list)
    mapping: Dict[str, int] = Field(default_factory=dict, description="Map.")


class OutputModel(BaseModel):
    message: str
