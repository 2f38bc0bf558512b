from pydantic import BaseModel, Field


class InputModel(BaseModel):
    text: str = Field(
        default="first part, "
        "second part",
        description=(
            "A description "
            "split over lines."
        ),
    )


class OutputModel(BaseModel):
    message: str
