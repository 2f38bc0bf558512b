import lib
import lib.inner.base
from lib import Base


class InputModel(Base):
    x: int = 1


class OutputModel(lib.inner.base.Base):
    y: lib.base.Base = None
