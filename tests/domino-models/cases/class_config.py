from pydantic import BaseModel


class InputModel(BaseModel):
    name: str

    class Config:
        extra = "allow"


class OutputModel(BaseModel):
    message: str


class SecretsModel(BaseModel):
    TOKEN: str = "t"

    class Config:
        """Old style."""
        title = "Old Secrets"
        schema_extra = {"x-old": 1}
        allow_population_by_field_name = True
        anystr_strip_whitespace = True
