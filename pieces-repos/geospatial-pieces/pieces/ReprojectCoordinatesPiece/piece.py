from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, Point


class ReprojectCoordinatesPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        from pyproj import Transformer

        transformer = Transformer.from_crs(
            input_data.source_crs.value,
            input_data.target_crs.value,
            always_xy=input_data.always_xy,
        )
        points = []
        for point in input_data.points:
            x, y = transformer.transform(point.x, point.y)
            points.append(Point(x=x, y=y))
        self.logger.info(f"Reprojected {len(points)} points to {input_data.target_crs.value}")
        return OutputModel(points=points, target_crs=input_data.target_crs.value)
