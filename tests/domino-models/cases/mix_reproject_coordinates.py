from enum import Enum
from typing import List

from pydantic import BaseModel, Field


class CoordinateReferenceSystem(str, Enum):
    """
    Coordinate reference systems supported by the piece.
    """
    wgs84 = "EPSG:4326"
    web_mercator = "EPSG:3857"
    etrs89_laea = "EPSG:3035"
    sirgas2000 = "EPSG:4674"


class Point(BaseModel):
    """A point given by its x (longitude/easting) and y (latitude/northing)."""
    x: float = Field(description="Longitude or easting.")
    y: float = Field(description="Latitude or northing.")


class InputModel(BaseModel):
    """
    Reproject Coordinates Piece Input Model
    """
    points: List[Point] = Field(
        description="Points to reproject.",
        json_schema_extra={"from_upstream": "allowed"},
    )
    source_crs: CoordinateReferenceSystem = Field(
        default=CoordinateReferenceSystem.wgs84,
        description="Coordinate reference system of the input points.",
    )
    target_crs: CoordinateReferenceSystem = Field(
        default=CoordinateReferenceSystem.web_mercator,
        description="Coordinate reference system of the output points.",
    )
    always_xy: bool = Field(
        default=True,
        description="Treat coordinates as (x, y) whatever the axis order of the CRS.",
    )


class OutputModel(BaseModel):
    """
    Reproject Coordinates Piece Output Model
    """
    points: List[Point] = Field(description="Reprojected points, in input order.")
    target_crs: str = Field(description="The CRS of the output points.")
