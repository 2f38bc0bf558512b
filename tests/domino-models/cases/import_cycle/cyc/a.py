from pydantic import BaseModel


class A(BaseModel):
    a: int = 1


from cyc.b import B  # noqa: E402  (b imports this module back)


class AB(B):
    ab: str = "ab"
