from pydantic import BaseModel


class InputModel(BaseModel):
	"""Résumé — ünïcödé ☃.

	Tab-indented body line.
	    Deeper line.
	"""
	name: str = "naïve"


class OutputModel(BaseModel):
    r"""Raw docstring with \n kept."""
    message: str
