from typing import Any

from pydantic import BaseModel


class InputModel(BaseModel):
    name: str

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:  # unsupported
        schema = handler(core_schema)
        schema["x-custom"] = True
        return schema


class OutputModel(BaseModel):
    message: str
