from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class TokenizeTextPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        import nltk

        language = input_data.language.value
        sentences = nltk.sent_tokenize(input_data.text, language=language)
        tokens = []
        for sentence in sentences:
            for token in nltk.word_tokenize(sentence, language=language):
                tokens.append(token.lower() if input_data.lowercase else token)
                if len(tokens) >= input_data.max_tokens:
                    break
        return OutputModel(sentences=sentences, tokens=tokens, token_count=len(tokens))
