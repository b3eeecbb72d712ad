"""The Slack adapter's settings (its environment variables keep their names)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from ua_bot.config import SETTINGS_CONFIG


class SlackSettings(BaseSettings):
    """``SLACK_*``: signing secret, a bot token or OAuth client, Socket Mode, the API URL."""

    model_config = SETTINGS_CONFIG

    slack_signing_secret: SecretStr | None = Field(
        None, description="verifies every request from the workspace app"
    )
    slack_bot_token: SecretStr | None = Field(None, description="single-workspace bot token")
    slack_client_id: str | None = Field(None, description="OAuth client id (multi-workspace)")
    slack_client_secret: SecretStr | None = Field(None, description="OAuth client secret")
    ua_bot_token_key: SecretStr | None = Field(
        None,
        description="Fernet key that encrypts the bot tokens of Slack OAuth installations in "
        "the database (default: derived from UA_BOT_SECRET)",
    )
    ua_bot_slack_teams: str = Field(
        "",
        description="comma-separated Slack team ids the app may be installed in through OAuth "
        "(e.g. T01,T02); empty: any workspace",
    )
    slack_app_token: SecretStr | None = Field(
        None, description="app-level token: Socket Mode for development without a public URL"
    )
    slack_api_base_url: str | None = Field(
        None, description="Web API base URL; default the public one (tests point it elsewhere)"
    )
