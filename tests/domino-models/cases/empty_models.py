from pydantic import BaseModel


class InputModel(BaseModel):
    pass


class OutputModel(BaseModel):
    """Nothing."""


class SecretsModel(BaseModel):
    ...
