import typing

import pydantic


class InputModel(pydantic.BaseModel):
    names: typing.List[str] = pydantic.Field(default_factory=list)
    maybe: typing.Optional[int] = None


class OutputModel(pydantic.BaseModel):
    message: str
