from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    Sleep Piece Input Model
    """
    sleep_time: float = Field(default=1.0, ge=0.0, le=3600.0, description="Seconds to sleep.")


class OutputModel(BaseModel):
    """
    Sleep Piece Output Model
    """
    message: str = Field(default="Sleep piece executed with success!", description="Output message.")
