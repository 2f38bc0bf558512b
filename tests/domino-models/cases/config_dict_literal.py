from pydantic import BaseModel


class Nested(BaseModel):
    model_config = {"title": "Nested Title", "extra": "forbid"}
    value: int = 1


class InputModel(BaseModel):
    model_config = {"extra": "allow"}
    nested: Nested = Nested()


class OutputModel(BaseModel):
    message: str
