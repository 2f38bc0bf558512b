from pathlib import Path

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class ClipRasterPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        import rasterio
        from rasterio.windows import from_bounds

        box = input_data.bounding_box
        output_path = Path(self.results_path) / input_data.output_file_name
        with rasterio.open(input_data.raster_path) as source:
            window = from_bounds(box.min_x, box.min_y, box.max_x, box.max_y, source.transform)
            data = source.read(window=window, resampling=input_data.resampling.value)
            profile = source.profile
            profile.update(
                width=data.shape[2],
                height=data.shape[1],
                transform=source.window_transform(window),
            )
            with rasterio.open(output_path, "w", **profile) as destination:
                destination.write(data)
        return OutputModel(raster_path=str(output_path), width=data.shape[2], height=data.shape[1])
