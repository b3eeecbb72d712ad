"""Every setting of a deployment: the core's and each platform adapter's.

``python -m adapters.settings > .env.example`` writes the example file.
"""

from __future__ import annotations

from adapters.slack.settings import SlackSettings
from adapters.telegram.settings import TelegramSettings
from ua_bot.config import Settings, env_example


class DeploymentSettings(SlackSettings, TelegramSettings, Settings):
    """What the composition root reads from the environment and hands to each part."""


if __name__ == "__main__":
    print(env_example(DeploymentSettings), end="")
