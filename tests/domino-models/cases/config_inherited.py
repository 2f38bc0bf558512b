from pydantic import BaseModel, ConfigDict


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int = 1


class InputModel(Base):
    b: int = 2


class OutputModel(Base):
    model_config = ConfigDict(extra="allow")
    message: str
