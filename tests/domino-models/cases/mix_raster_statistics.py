from enum import Enum
from typing import List, Optional

from pydantic import BaseModel, Field


class Statistic(str, Enum):
    minimum = "min"
    maximum = "max"
    mean = "mean"
    std = "std"
    count = "count"


class InputModel(BaseModel):
    """
    Raster Statistics Piece Input Model
    """
    raster_path: str = Field(
        description="Path of a GeoTIFF file.",
        json_schema_extra={"from_upstream": "always"},
    )
    bands: Optional[List[int]] = Field(
        default=None,
        description="1-based band indexes (all bands when empty).",
    )
    statistics: List[Statistic] = Field(
        default=[Statistic.minimum, Statistic.maximum, Statistic.mean],
        description="Statistics to compute.",
    )
    nodata: Optional[float] = Field(default=None, description="Value to ignore.")


class BandStatistics(BaseModel):
    band: int
    values: dict = Field(description="Statistic name to value.")


class OutputModel(BaseModel):
    """
    Raster Statistics Piece Output Model
    """
    band_statistics: List[BandStatistics]
