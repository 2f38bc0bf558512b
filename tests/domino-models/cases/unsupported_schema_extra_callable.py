from pydantic import BaseModel, Field


def add_flag(schema: dict) -> None:
    schema["flag"] = True


class InputModel(BaseModel):
    name: str = Field(json_schema_extra=add_flag)  # unsupported


class OutputModel(BaseModel):
    message: str = Field(description="Supported.")
