import json
from json import dumps

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    config: str = Field(
        default=json.dumps({"name": "é", "values": [1, 2.5, -3, 1e-05, None, True], "nested": {}, "t": (1,)}),
        description="A JSON text.",
    )
    pretty: str = json.dumps({"b": [1, {"c": []}], "a": "x\ny"}, indent=4)
    compact_sorted: str = dumps({"z": 1, "a": {"y": 2, "b": 3}}, sort_keys=True)
    zero_indent: str = json.dumps([1, [2, 3]], indent=0)
    text: str = json.dumps("plain")
    none_indent: str = json.dumps([], indent=None, ensure_ascii=True)


class OutputModel(BaseModel):
    result: str = json.dumps({"ok": False})
