from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    model_config = ConfigDict(title="Custom Input")
    name: str


class OutputModel(BaseModel):
    message: str
