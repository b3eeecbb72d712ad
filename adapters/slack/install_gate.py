"""Installation allow-list: with ``UA_BOT_SLACK_TEAMS`` set, OAuth installs only those teams.

``/slack/install`` is open to anyone; without a list any workspace owner could install the
app. A refused installation is not stored, and the installer sees a short 403 page.
"""

from __future__ import annotations

from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation

REFUSED = "This app cannot be installed in this workspace. Ask the bot's operator to allow it."


class TeamNotAllowed(BoltError):
    """The workspace is not on ``UA_BOT_SLACK_TEAMS``."""


def allowed_teams(setting: str) -> frozenset[str]:
    return frozenset(t.strip() for t in setting.split(",") if t.strip())


class AllowListOAuthFlow(AsyncOAuthFlow):
    """Bolt's OAuth flow, storing an installation only for an allowed team."""

    def __init__(self, *, teams: frozenset[str], **kw) -> None:
        super().__init__(**kw)
        self.teams = teams

    async def store_installation(
        self, request: AsyncBoltRequest, installation: Installation
    ) -> None:
        team = installation.team_id or installation.enterprise_id or ""
        if self.teams and team not in self.teams:
            raise TeamNotAllowed(team)
        await super().store_installation(request, installation)


async def _success(args) -> BoltResponse:
    return await args.default.success(args)


async def _failure(args: AsyncFailureArgs) -> BoltResponse:
    if isinstance(args.error, TeamNotAllowed):
        return BoltResponse(status=403, body=REFUSED, headers={"Content-Type": "text/plain"})
    return await args.default.failure(args)


CALLBACKS = AsyncCallbackOptions(success=_success, failure=_failure)
