from pydantic import BaseModel, Field


class InputModel(BaseModel):
    path: str = Field(json_schema_extra={"from_upstream": "always"})
    code: str = Field(
        default="print(1)",
        description="Code.",
        json_schema_extra={"widget": "codeeditor-python", "from_upstream": "never", "zeta": [1, {"b": 2, "a": 1}]},
    )


class OutputModel(BaseModel):
    message: str
