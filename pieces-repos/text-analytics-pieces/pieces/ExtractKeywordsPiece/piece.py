from domino.base_piece import BasePiece

from .models import InputModel, Keyword, OutputModel


class ExtractKeywordsPiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        import yake

        extractor = yake.KeywordExtractor(
            n=input_data.max_ngram_size,
            top=input_data.top_k,
            stopwords=set(input_data.stopwords) or None,
        )
        keywords = [Keyword(keyword=k, score=s) for k, s in extractor.extract_keywords(input_data.text)]
        return OutputModel(keywords=keywords)
