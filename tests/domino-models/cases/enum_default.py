from enum import Enum

from pydantic import BaseModel, Field


class Mode(str, Enum):
    """
    Processing mode.
    """
    fast = "fast"
    accurate = "accurate"


class InputModel(BaseModel):
    mode: Mode = Mode.fast
    other_mode: Mode = Field(default=Mode.accurate)
    described_mode: Mode = Field(default=Mode.fast, description="The mode.", title="Mode Title")


class OutputModel(BaseModel):
    message: str
