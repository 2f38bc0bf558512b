from typing import Optional

from pydantic import BaseModel, DirectoryPath, Field, FilePath


class InputModel(BaseModel):
    file: FilePath
    folder: DirectoryPath
    maybe_file: Optional[FilePath] = Field(default=None, description="A file.")


class OutputModel(BaseModel):
    message: str
