from typing import List

from pydantic import BaseModel


class Leaf(BaseModel):
    value: float


class Branch(BaseModel):
    leaves: List[Leaf]
    main: Leaf


class InputModel(BaseModel):
    branch: Branch
    leaf: Leaf


class OutputModel(BaseModel):
    branches: List[Branch]
