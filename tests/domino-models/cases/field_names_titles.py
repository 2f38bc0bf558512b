from pydantic import BaseModel


class InputModel(BaseModel):
    AWS_REGION_NAME: str
    x2y: int
    camelCase: str
    already_Title_ed: str
    a__b: str
    _private_like: str = "p"


class OutputModel(BaseModel):
    message: str
