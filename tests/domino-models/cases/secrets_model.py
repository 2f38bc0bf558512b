from pydantic import BaseModel, Field


class InputModel(BaseModel):
    name: str


class OutputModel(BaseModel):
    message: str


class SecretsModel(BaseModel):
    """
    Secrets
    """
    API_KEY: str = Field(description="API key.")
    AWS_ACCESS_KEY_ID: str
    OPTIONAL_TOKEN: str | None = None
