from pydantic import BaseModel, Field


class Inner(BaseModel):
    """An inner model."""
    x: int


class InputModel(BaseModel):
    inner: Inner = Field(description="The inner one.")
    same_doc: Inner = Field(description="An inner model.")
    titled: Inner = Field(title="Titled")


class OutputModel(BaseModel):
    message: str
