import time

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class SleepPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        self.logger.info(f"Sleeping for {input_data.sleep_time} seconds")
        time.sleep(input_data.sleep_time)
        return OutputModel(message=f"Slept for {input_data.sleep_time} seconds")
