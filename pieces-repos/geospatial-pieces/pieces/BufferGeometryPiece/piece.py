from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class BufferGeometryPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        from shapely import wkt

        geometry = wkt.loads(input_data.geometry_wkt)
        buffered = geometry.buffer(
            input_data.distance,
            quad_segs=input_data.quad_segments,
            cap_style=input_data.cap_style.value,
            join_style=input_data.join_style.value,
        )
        if input_data.simplify_tolerance is not None:
            buffered = buffered.simplify(input_data.simplify_tolerance)
        return OutputModel(geometry_wkt=buffered.wkt, area=buffered.area)
