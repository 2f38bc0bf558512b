from enum import Enum
from typing import Dict, Optional

from pydantic import BaseModel, Field


class HttpMethod(str, Enum):
    get = "GET"
    post = "POST"
    put = "PUT"
    patch = "PATCH"
    delete = "DELETE"


class InputModel(BaseModel):
    """
    HTTP Request Piece Input Model
    """
    url: str = Field(
        default="https://example.org/api/health",
        description="URL to call.",
        json_schema_extra={"from_upstream": "allowed"},
    )
    method: HttpMethod = Field(default=HttpMethod.get, description="HTTP method.")
    headers: Dict[str, str] = Field(
        default={"Accept": "application/json"},
        description="Request headers.",
    )
    body: Optional[str] = Field(
        default=None,
        description="Request body (JSON text for POST, PUT and PATCH).",
        json_schema_extra={"widget": "codeeditor"},
    )
    timeout_seconds: float = Field(default=30.0, gt=0.0, le=600.0)
    fail_on_error_status: bool = Field(default=True, description="Fail when the status is 4xx or 5xx.")


class OutputModel(BaseModel):
    """
    HTTP Request Piece Output Model
    """
    status_code: int
    headers: Dict[str, str]
    body: str


class SecretsModel(BaseModel):
    """
    HTTP Request Piece Secrets Model
    """
    HTTP_BEARER_TOKEN: Optional[str] = Field(
        default=None,
        description="Sent as `Authorization: Bearer <token>` when set.",
    )
