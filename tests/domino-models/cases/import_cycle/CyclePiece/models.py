from cyc.a import AB, A


class InputModel(AB):
    pass


class OutputModel(A):
    pass
