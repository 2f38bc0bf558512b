from pydantic import BaseModel, field_validator


class Window(BaseModel):
    size: int = 1

    @field_validator("size")
    @classmethod
    def double(cls, value: int) -> int:
        return value * 2


class InputModel(BaseModel):
    window: Window = Window(size=2)  # unsupported


class OutputModel(BaseModel):
    window: Window
