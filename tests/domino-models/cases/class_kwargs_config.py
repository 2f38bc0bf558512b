from pydantic import BaseModel, ConfigDict, Extra


class InputModel(BaseModel, extra=Extra.forbid):
    name: str


class OutputModel(BaseModel, extra="allow", title="Output Title"):
    """
    Output with class keyword configuration
    """
    model_config = ConfigDict(extra="forbid")
    pass
