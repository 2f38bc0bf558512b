from domino.base_piece import BasePiece

from .models import BandStatistics, InputModel, OutputModel


class RasterStatisticsPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        import numpy as np
        import rasterio

        functions = {"min": np.min, "max": np.max, "mean": np.mean, "std": np.std, "count": np.size}
        results = []
        with rasterio.open(input_data.raster_path) as dataset:
            bands = input_data.bands or list(range(1, dataset.count + 1))
            for band in bands:
                data = dataset.read(band, masked=True)
                if input_data.nodata is not None:
                    data = np.ma.masked_equal(data, input_data.nodata)
                values = {s.value: float(functions[s.value](data.compressed())) for s in input_data.statistics}
                results.append(BandStatistics(band=band, values=values))
        return OutputModel(band_statistics=results)
