import csv
from pathlib import Path

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class SqlQueryPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        from sqlalchemy import create_engine, text

        engine = create_engine(secrets_data.DATABASE_URL)
        parameters = {"start_date": input_data.start_date, "end_date": input_data.end_date}
        output_path = Path(self.results_path) / "query_result.csv"
        row_count = 0
        with engine.connect() as connection, open(output_path, "w", newline="") as handle:
            result = connection.execute(text(input_data.query), parameters)
            writer = csv.writer(handle)
            writer.writerow(result.keys())
            for row in result:
                if input_data.row_limit is not None and row_count >= input_data.row_limit:
                    break
                writer.writerow(row)
                row_count += 1
        return OutputModel(file_path=str(output_path), row_count=row_count)
