from enum import Enum

from pydantic import BaseModel, Field


class StorageClass(str, Enum):
    standard = "STANDARD"
    infrequent_access = "STANDARD_IA"
    glacier = "GLACIER"


class InputModel(BaseModel):
    """
    S3 Upload Piece Input Model
    """
    file_path: str = Field(
        description="Local file to upload.",
        json_schema_extra={"from_upstream": "always"},
    )
    bucket: str = Field(description="Bucket name.", min_length=3, max_length=63)
    key_prefix: str = Field(default="", description="Prefix of the object key.")
    storage_class: StorageClass = Field(default=StorageClass.standard)


class OutputModel(BaseModel):
    """
    S3 Upload Piece Output Model
    """
    object_url: str = Field(description="s3:// URL of the uploaded object.")


class SecretsModel(BaseModel):
    """
    S3 Upload Piece Secrets Model
    """
    AWS_ACCESS_KEY_ID: str
    AWS_SECRET_ACCESS_KEY: str
    AWS_REGION_NAME: str = Field(default="us-east-1")
