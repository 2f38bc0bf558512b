import datetime

from pydantic import BaseModel


class InputModel(BaseModel):
    day: datetime.date
    moment: datetime.datetime = datetime.datetime(2020, 1, 2, 3, 4, 5)
    clock: datetime.time = datetime.time(12)


class OutputModel(BaseModel):
    message: str
