from BaseModelsPiece.models import SharedInput, SharedOutput
from BaseModelsPiece import models as base


class InputModel(SharedInput):
    extra: base.SharedOutput = base.SharedOutput(message="hi")


class OutputModel(SharedOutput):
    pass
