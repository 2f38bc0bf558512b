from pydantic import BaseModel


class InputModel(BaseModel):
    name: str

    class Helper:  # unsupported
        pass


class OutputModel(BaseModel):
    message: str
