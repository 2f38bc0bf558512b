from pydantic import BaseModel, field_validator, model_validator


class InputModel(BaseModel):
    name: str
    count: int = 1

    @field_validator("name")
    @classmethod
    def strip_name(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def check(self):
        return self

    def helper(self) -> int:
        return self.count * 2


class OutputModel(BaseModel):
    message: str
