from enum import Enum
from typing import List, Optional

from domino.models import OutputModifierItemType, OutputModifierModel
from pydantic import BaseModel, Field


class ExtractionMode(str, Enum):
    """
    How to run the extraction
    """
    fast = "fast"
    careful = "careful"


class ArgsItem(BaseModel):
    arg_name: str = Field(
        default="text",
        description="Name of the argument.",
        json_schema_extra={"from_upstream": "never"},
    )
    arg_type: OutputModifierItemType = Field(
        default=OutputModifierItemType.string,
        description="Type of the argument.",
        json_schema_extra={"from_upstream": "never"},
    )
    arg_value: str = Field(
        default="",
        description="Value of the argument.",
        json_schema_extra={"from_upstream": "allowed"},
    )


class InputModel(BaseModel):
    """
    Structured extraction input
    """
    source_text: str = Field(
        description="Text to read.",
        json_schema_extra={"from_upstream": "always", "widget": "textarea"},
    )
    mode: ExtractionMode = Field(default=ExtractionMode.fast, description="Mode.")
    arguments: List[ArgsItem] = Field(
        default=[ArgsItem(), ArgsItem(arg_name="language", arg_value="en")],
        description="Arguments of the extraction.",
        json_schema_extra={"from_upstream": "never"},
    )
    outputs: List[OutputModifierModel] = Field(
        default=[OutputModifierModel(name="entities", type=OutputModifierItemType.array)],
        description="Values to produce.",
    )
    limit: Optional[int] = Field(default=None, ge=1, le=1000, description="Maximum entities.")


class OutputModel(BaseModel):
    """
    Structured extraction output
    """
    results: List[dict] = Field(default_factory=list, description="One object per extracted item.")
    mode_used: ExtractionMode
