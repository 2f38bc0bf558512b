from enum import Enum
from typing import List

from domino.models import OutputModifierItemType, OutputModifierModel
from pydantic import BaseModel, Field


class LLMModel(str, Enum):
    gpt_3_5_turbo = "gpt-3.5-turbo-1106"
    gpt_4 = "gpt-4"


class InputModel(BaseModel):
    """
    Summarize Document Piece Input Model
    """
    document: str = Field(
        description="Document to summarize.",
        json_schema_extra={"from_upstream": "always"},
    )
    model: LLMModel = Field(default=LLMModel.gpt_3_5_turbo, description="Model to use.")
    max_summary_words: int = Field(default=150, gt=10, le=2000)
    temperature: float = Field(default=0.2, ge=0.0, le=2.0, description="Sampling temperature.")
    extract_items: List[OutputModifierModel] = Field(
        default=[
            OutputModifierModel(name="title", type=OutputModifierItemType.string, description="Document title"),
            OutputModifierModel(name="page_count", type=OutputModifierItemType.integer),
        ],
        description="Fields to extract besides the summary.",
    )


class OutputModel(BaseModel):
    """
    Summarize Document Piece Output Model
    """
    summary: str = Field(description="The summary.")
    extracted: dict = Field(default_factory=dict, description="The extracted fields.")


class SecretsModel(BaseModel):
    """
    Summarize Document Piece Secrets Model
    """
    OPENAI_API_KEY: str = Field(description="OpenAI API key.")
