from datetime import date, datetime, time
from enum import Enum
from typing import Dict, List, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field


class Frequency(str, Enum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"


class Priority(int, Enum):
    low = 0
    normal = 5
    high = 10


class Window(BaseModel):
    """
    A time window.
    """
    model_config = ConfigDict(extra="forbid")
    start: time = time(9, 0)
    end: time = time(17, 30)


class BaseSchedule(BaseModel):
    name: str = Field(description="Schedule name.", min_length=1, max_length=64)
    enabled: bool = True


class InputModel(BaseSchedule):
    """
    Scheduler Piece Input Model
    """
    frequency: Frequency = Field(default=Frequency.weekly, description="How often.")
    priority: Priority = Priority.normal
    first_run: date = Field(default=date(2024, 2, 29), description="First day.")
    not_before: Optional[datetime] = None
    windows: List[Window] = Field(default=[Window(), Window(start=time(20, 0), end=time(23, 0))])
    labels: Dict[str, str] = Field(default_factory=dict, json_schema_extra={"widget": "keyvalue"})
    retry: Union[int, Literal["never"]] = 3
    timezone: Literal["UTC", "Europe/Lisbon", "America/Sao_Paulo"] = "UTC"


class OutputModel(BaseModel):
    """
    Scheduler Piece Output Model
    """
    next_runs: List[datetime] = Field(description="Next run times.")
    window: Window


class SecretsModel(BaseModel):
    """
    Scheduler Piece Secrets Model
    """
    CALENDAR_TOKEN: Optional[str] = Field(default=None, description="Calendar API token.")
    SMTP_PASSWORD: str
