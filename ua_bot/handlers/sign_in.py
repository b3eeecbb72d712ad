"""/web: a single-use link that signs an organiser in to the organiser pages."""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.markup import link
from ua_bot.messages import Reply
from ua_bot.web_login import LINK_MINUTES, issue_link


@command(
    "web",
    "A sign-in link to the organiser pages (valid a few minutes, once)",
    organiser=True,
    private_chat=True,  # whoever opens the link is signed in: never into a group
)
async def web(ctx: Context) -> Reply:
    core = ctx.core
    url = await issue_link(core.store, core.settings, core.hasher, ctx.incoming.user, core.now())
    return Reply.text(
        f"Your sign-in link to the organiser pages, valid {LINK_MINUTES} minutes and once: "
        f"{link(url, url)}\nDo not forward it: whoever opens it is signed in as you.",
        private=True,  # a link, not a URL button: Telegram refuses buttons to local addresses
    )
