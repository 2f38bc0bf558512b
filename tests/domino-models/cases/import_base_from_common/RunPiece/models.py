from pydantic import BaseModel, Field
from common.models import RunIdInputMixin, Mode


class InputModel(RunIdInputMixin):
    """Input of the run piece."""

    count: int = Field(default=1, ge=1)
    other_mode: Mode = Field(default=Mode.slow, description="Another mode.")


class OutputModel(BaseModel):
    result: str
