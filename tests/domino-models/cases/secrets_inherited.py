from pydantic import BaseModel, Field


class CloudSecrets(BaseModel):
    """
    Cloud credentials.
    """
    CLOUD_KEY: str
    CLOUD_REGION: str = Field(default="eu-west-1", description="Region.")


class InputModel(BaseModel):
    bucket: str


class OutputModel(BaseModel):
    message: str


class SecretsModel(CloudSecrets):
    EXTRA_TOKEN: str | None = None
