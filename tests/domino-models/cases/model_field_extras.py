from pydantic import BaseModel, Field


class Inner(BaseModel):
    x: int = 0


class InputModel(BaseModel):
    with_extra: Inner = Field(json_schema_extra={"from_upstream": "never"})
    none_default: Inner = None
    with_examples: Inner = Field(default=Inner(), examples=[{"x": 1}])


class OutputModel(BaseModel):
    message: str
