from typing import Optional

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """
    Send Slack Message Piece Input Model
    """
    channel: str = Field(default="#data-alerts", description="Channel name or ID.")
    message: str = Field(
        description="Message text (Slack mrkdwn).",
        json_schema_extra={"from_upstream": "allowed", "widget": "textarea"},
    )
    thread_ts: Optional[str] = Field(default=None, description="Reply in this thread.")
    unfurl_links: bool = False


class OutputModel(BaseModel):
    """
    Send Slack Message Piece Output Model
    """
    message_ts: str = Field(description="Timestamp of the posted message.")


class SecretsModel(BaseModel):
    """
    Send Slack Message Piece Secrets Model
    """
    SLACK_BOT_TOKEN: str = Field(description="Bot token (xoxb-...).")
