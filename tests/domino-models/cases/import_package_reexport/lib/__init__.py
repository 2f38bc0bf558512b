from .inner.base import Base as Base
from .inner import base
