from pydantic import BaseModel


class InputModel(BaseModel):
    name: str

    class Config:  # unsupported
        extra = "allow"


class OutputModel(BaseModel):
    message: str
