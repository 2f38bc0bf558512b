from typing import Literal, Optional

from pydantic import BaseModel


class InputModel(BaseModel):
    level: Literal[1, 2, 3]
    mixed: Literal[1, "one"] = 1
    maybe: Optional[Literal["x", "y"]] = None


class OutputModel(BaseModel):
    message: str
