import typing as t
from datetime import date as Day

from pydantic import BaseModel as Base, Field as F


class InputModel(Base):
    names: t.List[str] = F(default_factory=list, description="Names.")
    maybe: t.Optional[t.Dict[str, t.Any]] = None
    day: Day = Day(2000, 2, 29)


class OutputModel(Base):
    message: t.Union[str, None]
