from domino.base_piece import BasePiece

from .models import InputModel, OutputModel, SecretsModel


class SendSlackMessagePiece(BasePiece):

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        import requests

        response = requests.post(
            "https://slack.com/api/chat.postMessage",
            headers={"Authorization": f"Bearer {secrets_data.SLACK_BOT_TOKEN}"},
            json={
                "channel": input_data.channel,
                "text": input_data.message,
                "thread_ts": input_data.thread_ts,
                "unfurl_links": input_data.unfurl_links,
            },
            timeout=30,
        )
        response.raise_for_status()
        answer = response.json()
        if not answer.get("ok"):
            raise RuntimeError(f"Slack API error: {answer.get('error')}")
        return OutputModel(message_ts=answer["ts"])
