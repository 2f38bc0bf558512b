from enum import Enum

from pydantic import BaseModel, Field


class Resampling(int, Enum):
    nearest = 0
    bilinear = 1
    cubic = 2


class BoundingBox(BaseModel):
    """Bounding box in the raster's CRS."""
    min_x: float
    min_y: float
    max_x: float
    max_y: float


class InputModel(BaseModel):
    """
    Clip Raster Piece Input Model
    """
    raster_path: str = Field(
        description="Path of the GeoTIFF to clip.",
        json_schema_extra={"from_upstream": "always"},
    )
    bounding_box: BoundingBox = Field(
        default=BoundingBox(min_x=-180.0, min_y=-90.0, max_x=180.0, max_y=90.0),
        description="Area to keep.",
    )
    resampling: Resampling = Field(default=Resampling.nearest, description="Resampling method.")
    output_file_name: str = Field(default="clipped.tif", description="Name of the output file.")


class OutputModel(BaseModel):
    """
    Clip Raster Piece Output Model
    """
    raster_path: str = Field(description="Path of the clipped GeoTIFF.")
    width: int
    height: int
