from enum import Enum
from typing import Optional

from pydantic import BaseModel, Field


class CapStyle(str, Enum):
    round = "round"
    flat = "flat"
    square = "square"


class JoinStyle(str, Enum):
    round = "round"
    mitre = "mitre"
    bevel = "bevel"


class InputModel(BaseModel):
    """
    Buffer Geometry Piece Input Model
    """
    geometry_wkt: str = Field(
        description="Geometry in Well-Known Text.",
        json_schema_extra={"from_upstream": "always"},
    )
    distance: float = Field(
        default=10.0,
        gt=0,
        description="Buffer distance, in the units of the geometry's CRS.",
    )
    quad_segments: int = Field(
        default=16,
        ge=1,
        le=64,
        description="Segments used to approximate a quarter circle.",
    )
    cap_style: CapStyle = CapStyle.round
    join_style: JoinStyle = Field(default=JoinStyle.round)
    simplify_tolerance: Optional[float] = Field(
        default=None,
        description="Simplify the result with this tolerance (no simplification when empty).",
    )


class OutputModel(BaseModel):
    """
    Buffer Geometry Piece Output Model
    """
    geometry_wkt: str = Field(description="The buffered geometry in Well-Known Text.")
    area: float = Field(description="Area of the buffered geometry.")
