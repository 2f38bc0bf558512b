from pydantic import BaseModel, Field


class BaseInput(BaseModel):
    """Base input."""
    name: str
    verbose: bool = False


class InputModel(BaseInput):
    count: int = Field(default=1, ge=0)
    name: str = Field(default="child", description="Overridden.")


class OutputModel(BaseInput):
    message: str
