from pydantic import BaseModel


class InputModel(BaseModel):
    name: str = "domino"
    count: int = 3
    ratio: float = 1.0
    small: float = 1e-05
    big: float = 1e16
    negative: int = -7
    negative_float: float = -2.5
    int_for_float: float = 2
    enabled: bool = True
    disabled: bool = False
    text: str = "caf\u00e9 \u2603 <a href='x'>&</a> \"q\" \\ / tab\tend"


class OutputModel(BaseModel):
    message: str
