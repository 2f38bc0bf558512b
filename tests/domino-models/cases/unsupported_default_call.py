import os

from pydantic import BaseModel, Field


def default_workers() -> int:
    return 4


class InputModel(BaseModel):
    workers: int = Field(default=default_workers(), description="Workers.")  # unsupported
    home: str = os.environ.get("HOME_FOR_TESTS", "/root")


class OutputModel(BaseModel):
    message: str
