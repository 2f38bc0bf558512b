from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    model_config = ConfigDict(extra='forbid')
    name: str


class OutputModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str
