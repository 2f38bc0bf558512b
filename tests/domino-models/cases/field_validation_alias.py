from typing import Annotated

from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field


class Inner(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first: int = Field(validation_alias="FIRST", serialization_alias="first_out")
    second: int = Field(default=2, validation_alias=AliasChoices("second_a", "second_b"))
    third: str = Field(default="t", alias="THIRD")


class InputModel(BaseModel):
    plain: int = Field(validation_alias="Plain")
    choices: int = Field(validation_alias=AliasChoices("choice_one", "choice_two"))
    path: int = Field(default=0, validation_alias=AliasPath("outer", 0))
    mixed: int = Field(default=1, validation_alias=AliasChoices(AliasPath("deep", 1), "flat"))
    out_only: str = Field(default="", serialization_alias="OutOnly", description="Only out.")
    both: int = Field(default=3, alias="Both", validation_alias="BothIn")
    annotated: Annotated[int, Field(alias="ann")] = Field(default=4, validation_alias="annIn")
    inner: Inner = Inner(FIRST=1, second_b=5)
    by_name: Inner = Inner(first=7, third="x")


class OutputModel(BaseModel):
    value: int = Field(serialization_alias="Value")
