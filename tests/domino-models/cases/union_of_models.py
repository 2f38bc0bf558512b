from typing import Dict, List, Optional, Union

from pydantic import BaseModel, Field


class Cat(BaseModel):
    meows: int = 1


class Dog(BaseModel):
    barks: float = 2.0


class InputModel(BaseModel):
    pet: Union[Cat, Dog]
    maybe_pets: Optional[List[Cat]] = None
    by_name: Dict[str, Dog] = Field(default_factory=dict)
    either: Cat | Dog | None = Field(default=None, description="Either.")


class OutputModel(BaseModel):
    message: str
