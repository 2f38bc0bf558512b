from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    A model whose file has CRLF line endings.

        Indented line, then an escaped one: \r\n stays.
    """
    text: str = Field(
        default="""first line
second line""",
        description="""A description
over two lines.""",
    )
    joined: str = ("a"
                   "b")
    continued: str = "one \
two"


class OutputModel(BaseModel):
    """Out."""
    value: str = '''xy'''
