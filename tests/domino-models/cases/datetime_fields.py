from datetime import datetime

from pydantic import BaseModel


class InputModel(BaseModel):
    at: datetime
    since: datetime = datetime(2023, 5, 17, 8, 30)
    precise: datetime = datetime(2023, 5, 17, 8, 30, 15, 250)


class OutputModel(BaseModel):
    message: str
