from domino.base_piece import BasePiece

from .models import GeocodedAddress, InputModel, OutputModel, SecretsModel


class GeocodeAddressPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        import requests

        results = []
        for address in input_data.addresses:
            response = requests.get(
                "https://geocoder.example.org/v1/search",
                params={
                    "q": address,
                    "country": input_data.country_code,
                    "limit": input_data.max_results,
                    "key": secrets_data.GEOCODER_API_KEY,
                },
                timeout=30,
            )
            response.raise_for_status()
            for candidate in response.json()["features"]:
                longitude, latitude = candidate["geometry"]["coordinates"]
                results.append(
                    GeocodedAddress(
                        address=address,
                        latitude=latitude,
                        longitude=longitude,
                        confidence=candidate["properties"]["confidence"],
                    )
                )
        return OutputModel(results=results)
