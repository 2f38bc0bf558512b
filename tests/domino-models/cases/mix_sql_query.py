from datetime import date
from typing import Optional

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    SQL Query Piece Input Model
    """
    query: str = Field(
        default="SELECT * FROM events WHERE event_date >= :start_date",
        description="SQL query. Bind `:start_date` and `:end_date` to filter by dates.",
        json_schema_extra={"widget": "codeeditor-sql"},
    )
    start_date: Optional[date] = Field(default=None, description="Value of `:start_date`.")
    end_date: Optional[date] = Field(default=None, description="Value of `:end_date`.")
    row_limit: Optional[int] = Field(default=None, ge=1, description="Maximum rows to fetch.")


class OutputModel(BaseModel):
    """
    SQL Query Piece Output Model
    """
    file_path: str = Field(description="CSV file with the query result.")
    row_count: int


class SecretsModel(BaseModel):
    """
    SQL Query Piece Secrets Model
    """
    DATABASE_URL: str = Field(description="SQLAlchemy database URL.")
