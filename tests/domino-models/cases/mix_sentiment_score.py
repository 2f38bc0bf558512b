from typing import List

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    Sentiment Score Piece Input Model
    """
    texts: List[str] = Field(
        description="Texts to score.",
        json_schema_extra={"from_upstream": "allowed"},
    )
    neutral_threshold: float = Field(
        default=0.05,
        ge=0.0,
        lt=1.0,
        description="Compound scores within this distance of zero count as neutral.",
    )


class TextSentiment(BaseModel):
    """The sentiment of one text."""
    text: str
    compound: float = Field(ge=-1.0, le=1.0)
    label: str = Field(description="positive, negative or neutral")


class OutputModel(BaseModel):
    """
    Sentiment Score Piece Output Model
    """
    sentiments: List[TextSentiment]
    mean_compound: float
