from enum import Enum
from typing import Optional

from pydantic import BaseModel, Field


class TargetLanguage(str, Enum):
    english_us = "EN-US"
    german = "DE"
    french = "FR"
    portuguese_br = "PT-BR"
    japanese = "JA"


class Formality(str, Enum):
    default = "default"
    more = "more"
    less = "less"


class InputModel(BaseModel):
    """
    Translate Text Piece Input Model
    """
    text: str = Field(
        description="Text to translate.",
        json_schema_extra={"from_upstream": "allowed", "widget": "textarea"},
    )
    source_language: Optional[str] = Field(
        default=None,
        description="Source language code; detected when empty.",
    )
    target_language: TargetLanguage = Field(default=TargetLanguage.english_us)
    formality: Formality = Field(default=Formality.default, description="Desired formality.")


class OutputModel(BaseModel):
    """
    Translate Text Piece Output Model
    """
    translated_text: str
    detected_source_language: str


class SecretsModel(BaseModel):
    """
    Translate Text Piece Secrets Model
    """
    DEEPL_API_KEY: str = Field(description="DeepL authentication key.")
