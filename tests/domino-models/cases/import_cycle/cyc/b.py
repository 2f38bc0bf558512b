from cyc import a


class B(a.A):
    b: int = 2
