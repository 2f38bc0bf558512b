from typing import List

from pydantic import BaseModel, Field


class Row(BaseModel):
    key: str = Field(default=None, description="Key.", from_upstream="never")
    value: str = Field(default=None, from_upstream="always", include=True)


class InputModel(BaseModel):
    rows: List[Row] = Field(
        default=[Row(key="a", value="1")],
        description="Rows.",
        from_upstream="never",
    )
    script: str = Field(default="print()", widget="codeeditor", from_upstream="never")
    ignored_legacy: str = Field(default="x", widget="textarea", json_schema_extra={"from_upstream": "always"})
    empty_extra: str = Field(default="y", widget="textarea", json_schema_extra={})
    items: List[int] = Field(default=[], min_items=1, max_items=3)


class OutputModel(BaseModel):
    message: str
