from typing import List

from domino.models import OutputModifierItemType, OutputModifierModel
from pydantic import BaseModel, Field


class InputModel(BaseModel):
    prompt: str = Field(json_schema_extra={"from_upstream": "always"})
    output_items: List[OutputModifierModel] = Field(
        default=[
            OutputModifierModel(name="summary", type=OutputModifierItemType.string, description="Summary."),
            OutputModifierModel(name="score", type=OutputModifierItemType.float),
            OutputModifierModel(name="flag", type="boolean"),
        ],
        description="Items to extract.",
        json_schema_extra={"from_upstream": "never"},
    )
    item_type: OutputModifierItemType = OutputModifierItemType.array


class OutputModel(BaseModel):
    message: str
