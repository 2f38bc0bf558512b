from decimal import Decimal

from pydantic import BaseModel


class InputModel(BaseModel):
    amount: Decimal


class OutputModel(BaseModel):
    message: str
