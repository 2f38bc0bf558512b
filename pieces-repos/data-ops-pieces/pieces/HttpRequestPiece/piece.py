from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class HttpRequestPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        import requests

        headers = dict(input_data.headers)
        if secrets_data.HTTP_BEARER_TOKEN:
            headers["Authorization"] = f"Bearer {secrets_data.HTTP_BEARER_TOKEN}"
        response = requests.request(
            input_data.method.value,
            input_data.url,
            headers=headers,
            data=input_data.body,
            timeout=input_data.timeout_seconds,
        )
        if input_data.fail_on_error_status:
            response.raise_for_status()
        return OutputModel(
            status_code=response.status_code,
            headers=dict(response.headers),
            body=response.text,
        )
