from pydantic import BaseModel


class InputModel(BaseModel):
    """
    Example Piece Input Model

    It has several lines:
        - an indented one,
        - and another.

    """
    name: str


class OutputModel(BaseModel):
    """First line right here.
       Second line indented more than the rest.
    Third line.
    """
    message: str
