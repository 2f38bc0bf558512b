from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class TranslateTextPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        import deepl

        translator = deepl.Translator(secrets_data.DEEPL_API_KEY)
        result = translator.translate_text(
            input_data.text,
            source_lang=input_data.source_language,
            target_lang=input_data.target_language.value,
            formality=input_data.formality.value,
        )
        return OutputModel(
            translated_text=result.text,
            detected_source_language=result.detected_source_lang,
        )
