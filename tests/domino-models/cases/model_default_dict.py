from pydantic import BaseModel, Field


class Options(BaseModel):
    retries: int = 3
    backoff: float = 0.5


class InputModel(BaseModel):
    options: Options = Field(default_factory=Options, description="Options.")
    raw: dict = {"nested": {"b": 1, "a": [True, None, 1.5]}}


class OutputModel(BaseModel):
    message: str
