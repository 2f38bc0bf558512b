from datetime import time

from pydantic import BaseModel


class InputModel(BaseModel):
    at: time
    alarm: time = time(7, 15)
    precise: time = time(7, 15, 30, 5)


class OutputModel(BaseModel):
    message: str
