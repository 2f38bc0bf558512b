from enum import Enum

DEFAULT_NAME = "report"


class Format(Enum):
    csv = "csv"
    json = "json"
