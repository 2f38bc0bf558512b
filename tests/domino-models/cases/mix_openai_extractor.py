from enum import Enum
from typing import List, Optional

from domino.models import OutputModifierItemType, OutputModifierModel
from pydantic import BaseModel, ConfigDict, Field


class LLMModelType(str, Enum):
    """
    OpenAI model type
    """
    gpt_3_5_turbo = "gpt-3.5-turbo"
    gpt_4 = "gpt-4"


class InputModel(BaseModel):
    """
    Information Extraction Input Model
    """
    input_text: str = Field(
        description="Source text from where information should be extracted.",
        json_schema_extra={"from_upstream": "always", "widget": "textarea"},
    )
    openai_model: LLMModelType = Field(
        default=LLMModelType.gpt_3_5_turbo,
        description="OpenAI model name to use for information extraction.",
    )
    extract_items: List[OutputModifierModel] = Field(
        default=[
            OutputModifierModel(name="name", type=OutputModifierItemType.string, description="Name of the person."),
            OutputModifierModel(name="age", type=OutputModifierItemType.integer, description="Age of the person."),
        ],
        description="Information items to be extracted from source text.",
        json_schema_extra={"from_upstream": "never"},
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: Optional[int] = Field(default=None, gt=0)


class OutputModel(BaseModel):
    """
    Information Extraction Output Model
    """
    model_config = ConfigDict(extra="allow")


class SecretsModel(BaseModel):
    """
    Information Extraction Secrets Model
    """
    OPENAI_API_KEY: str = Field(description="Your OpenAI API key.")
