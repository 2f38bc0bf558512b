from enum import Enum
from typing import List

from pydantic import BaseModel, Field


class Language(str, Enum):
    english = "english"
    german = "german"
    portuguese = "portuguese"
    spanish = "spanish"


class InputModel(BaseModel):
    """
    Tokenize Text Piece Input Model
    """
    text: str = Field(
        description="Text to tokenize.",
        json_schema_extra={"from_upstream": "allowed", "widget": "textarea"},
    )
    language: Language = Field(default=Language.english, description="Language of the text.")
    lowercase: bool = Field(default=True, description="Lower-case every token.")
    max_tokens: int = Field(default=10000, ge=1, description="Stop after this many tokens.")


class OutputModel(BaseModel):
    """
    Tokenize Text Piece Output Model
    """
    sentences: List[str]
    tokens: List[str]
    token_count: int
