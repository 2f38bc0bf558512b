from typing import List, Optional

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    Geocode Address Piece Input Model
    """
    addresses: List[str] = Field(
        default=["1600 Pennsylvania Avenue NW, Washington, DC"],
        description="Postal addresses to geocode.",
        json_schema_extra={"from_upstream": "allowed"},
    )
    country_code: Optional[str] = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="ISO 3166-1 alpha-2 country code that restricts the search.",
    )
    max_results: int = Field(default=1, ge=1, le=10, description="Candidates per address.")


class GeocodedAddress(BaseModel):
    address: str
    latitude: float
    longitude: float
    confidence: float = Field(ge=0.0, le=1.0)


class OutputModel(BaseModel):
    """
    Geocode Address Piece Output Model
    """
    results: List[GeocodedAddress] = Field(description="One entry per candidate found.")


class SecretsModel(BaseModel):
    """
    Geocode Address Piece Secrets Model
    """
    GEOCODER_API_KEY: str = Field(description="API key of the geocoding service.")
