from datetime import date
from typing import List, Literal, Optional, Union

from pydantic import BaseModel, Field


class Argument(BaseModel):
    """An argument with a value of any simple type."""
    name: str = Field(json_schema_extra={"from_upstream": "never"})
    value: Union[str, list, int, float, bool, dict, date] = Field(
        description="Value.",
        json_schema_extra={"from_upstream": "always"},
    )
    mode: Union[Literal["auto"], int] = "auto"
    weight: Optional[float] = None


class InputModel(BaseModel):
    arguments: List[Argument] = Field(
        default=[
            Argument(name="text", value="hello"),
            Argument(name="count", value=3, mode=2),
            Argument(name="ratio", value=0.5, weight=1),
            Argument(name="items", value=["a", 1]),
            Argument(name="mapping", value={"b": 1, "a": None}),
            Argument(name="day", value=date(2024, 3, 1), weight=2.5),
        ],
        description="Arguments.",
    )


class OutputModel(BaseModel):
    message: str
