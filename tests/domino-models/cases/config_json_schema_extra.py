from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "x"}], "x-flag": True})
    name: str


class OutputModel(BaseModel):
    message: str
