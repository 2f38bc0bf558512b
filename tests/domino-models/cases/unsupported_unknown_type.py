from decimal import Decimal

from pydantic import BaseModel


class InputModel(BaseModel):
    amount: Decimal  # unsupported


class OutputModel(BaseModel):
    message: str
