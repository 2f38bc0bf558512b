from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, TextSentiment


class SentimentScorePiece(BasePiece):

    def piece_function(self, input_data: InputModel):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        sentiments = []
        for text in input_data.texts:
            compound = analyzer.polarity_scores(text)["compound"]
            if abs(compound) < input_data.neutral_threshold:
                label = "neutral"
            else:
                label = "positive" if compound > 0 else "negative"
            sentiments.append(TextSentiment(text=text, compound=compound, label=label))
        mean = sum(s.compound for s in sentiments) / len(sentiments) if sentiments else 0.0
        return OutputModel(sentiments=sentiments, mean_compound=mean)
