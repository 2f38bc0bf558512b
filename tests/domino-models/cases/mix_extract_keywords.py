from typing import List

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    Extract Keywords Piece Input Model
    """
    text: str = Field(
        description="Text to analyse.",
        json_schema_extra={"from_upstream": "allowed", "widget": "textarea"},
    )
    top_k: int = Field(default=10, ge=1, le=100, description="Number of keywords to return.")
    max_ngram_size: int = Field(default=2, ge=1, le=5)
    stopwords: List[str] = Field(
        default_factory=list,
        description="Extra words that are never keywords.",
    )


class Keyword(BaseModel):
    keyword: str
    score: float = Field(description="Lower is more relevant.")


class OutputModel(BaseModel):
    """
    Extract Keywords Piece Output Model
    """
    keywords: List[Keyword]
