from typing import Dict, List, Optional

from pydantic import BaseModel, Field


class Sub(BaseModel):
    a: int = 1


class Inner(BaseModel):
    """Defaults are not validated, but an instance serializes them by field type."""
    as_float: float = 1
    maybe_float: Optional[float] = 2
    floats: List[float] = [1, 2.5]
    float_map: Dict[str, float] = {"k": 1}
    from_factory: List[float] = Field(default_factory=list)
    none_in_str: str = None
    float_in_int: int = 1.5
    dict_in_model: Sub = {"zz": 1}
    int_in_bool: bool = 1
    sub: Sub = Sub()


class InputModel(BaseModel):
    inner: Inner = Inner()
    inner_set: Inner = Inner(as_float=5, floats=[3])
    inner_factory: Inner = Field(default_factory=Inner)


class OutputModel(BaseModel):
    message: str
