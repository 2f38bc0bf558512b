from pathlib import Path

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class CsvToParquetPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        import pandas as pd

        frame = pd.read_csv(
            input_data.input_file_path,
            sep=input_data.separator,
            usecols=input_data.columns,
        )
        output_path = Path(self.results_path) / (Path(input_data.input_file_path).stem + ".parquet")
        compression = None if input_data.compression.value == "none" else input_data.compression.value
        frame.to_parquet(output_path, compression=compression, row_group_size=input_data.row_group_size)
        return OutputModel(
            output_file_path=str(output_path),
            row_count=len(frame),
            columns=[str(c) for c in frame.columns],
        )
