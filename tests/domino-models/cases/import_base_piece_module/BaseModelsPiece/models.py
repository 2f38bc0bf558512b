from typing import List, Optional

from pydantic import BaseModel, Field


class SharedInput(BaseModel):
    paths: List[str] = Field(default_factory=list, description="Files to read.")
    limit: Optional[int] = None


class SharedOutput(BaseModel):
    message: str = Field(description="What happened.")
