"""Every setting of a deployment: the core's and each platform adapter's.

``python -m adapters.settings > .env.example`` writes the example file.
"""

from __future__ import annotations

from pydantic import ValidationError

from adapters.platforms import PLATFORMS
from ua_bot.config import Settings, env_example


class DeploymentSettings(*reversed([p.settings for p in PLATFORMS]), Settings):  # type: ignore[misc]
    """What the composition root reads from the environment and hands to each part: the
    core's settings and each platform's own (``adapters.platforms.PLATFORMS``)."""

    def faces_the_public(self) -> bool:
        return super().faces_the_public() or any(p.wanted(self) for p in PLATFORMS)


def load_settings() -> DeploymentSettings:
    """The settings from the environment; a bad one ends the process in one line naming it."""
    try:
        return DeploymentSettings()
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]).upper() if err.get("loc") else "configuration"
        raise SystemExit(f"ua-bot: {name}: {err['msg']}") from None


if __name__ == "__main__":
    print(env_example(DeploymentSettings), end="")
