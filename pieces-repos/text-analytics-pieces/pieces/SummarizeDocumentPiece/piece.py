import json

from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class SummarizeDocumentPiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        from openai import OpenAI

        client = OpenAI(api_key=secrets_data.OPENAI_API_KEY)
        fields = {item.name: item.type.value for item in input_data.extract_items}
        prompt = (
            f"Summarize the document in at most {input_data.max_summary_words} words. "
            f"Answer in JSON with the key 'summary' and these keys and types: {json.dumps(fields)}.\n\n"
            f"{input_data.document}"
        )
        response = client.chat.completions.create(
            model=input_data.model.value,
            temperature=input_data.temperature,
            response_format={"type": "json_object"},
            messages=[{"role": "user", "content": prompt}],
        )
        answer = json.loads(response.choices[0].message.content)
        summary = answer.pop("summary", "")
        return OutputModel(summary=summary, extracted=answer)
