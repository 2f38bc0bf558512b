from enum import Enum
from typing import List, Optional

from pydantic import BaseModel, Field


class Compression(str, Enum):
    snappy = "snappy"
    gzip = "gzip"
    zstd = "zstd"
    none = "none"


class InputModel(BaseModel):
    """
    CSV to Parquet Piece Input Model
    """
    input_file_path: str = Field(
        description="Path of the CSV file.",
        json_schema_extra={"from_upstream": "always"},
    )
    separator: str = Field(default=",", min_length=1, max_length=1)
    columns: Optional[List[str]] = Field(default=None, description="Columns to keep (all when empty).")
    compression: Compression = Field(default=Compression.snappy)
    row_group_size: int = Field(default=100000, ge=1000)


class OutputModel(BaseModel):
    """
    CSV to Parquet Piece Output Model
    """
    output_file_path: str
    row_count: int
    columns: List[str]
