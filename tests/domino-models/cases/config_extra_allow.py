from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


class OutputModel(BaseModel):
    message: str
