from pathlib import Path

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class S3UploadPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        import boto3

        client = boto3.client(
            "s3",
            aws_access_key_id=secrets_data.AWS_ACCESS_KEY_ID,
            aws_secret_access_key=secrets_data.AWS_SECRET_ACCESS_KEY,
            region_name=secrets_data.AWS_REGION_NAME,
        )
        key = input_data.key_prefix + Path(input_data.file_path).name
        client.upload_file(
            input_data.file_path,
            input_data.bucket,
            key,
            ExtraArgs={"StorageClass": input_data.storage_class.value},
        )
        return OutputModel(object_url=f"s3://{input_data.bucket}/{key}")
