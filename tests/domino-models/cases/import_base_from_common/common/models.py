from pydantic import BaseModel, Field
from enum import Enum


class Mode(str, Enum):
    fast = "fast"
    slow = "slow"


class RunIdInputMixin(BaseModel):
    """Fields every piece of the repository takes."""

    run_id: str = Field(default="", description="The run this belongs to.")
    mode: Mode = Mode.fast
