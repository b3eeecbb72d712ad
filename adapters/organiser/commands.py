"""The organiser pages run the chat commands themselves: the same handlers, no copy.

Changes (publish, close, update, broadcast...) go through ``core.handle`` as the signed-in
organiser, so the command is checked, run and audited as in chat. Reads (stats, previews,
broadcast status) call the command's handler directly, so viewing a page is not audited.
"""

from __future__ import annotations

from ua_bot.app import App
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.messages import Incoming, Reply

from .sessions import Organiser


def address(who: Organiser) -> str:
    """The organiser's 'chat' on the web: progress reports are not sent there."""
    return f"web:{who.actor[:16]}"


async def change(app: App, who: Organiser, line: str) -> list[Reply]:
    """Run a command line that changes something, exactly as if typed in chat."""
    return await app.core.handle(Incoming.command_line(line, address=address(who), user=who.user))


async def read(app: App, who: Organiser, line: str, lang: str | None = None) -> list[Reply]:
    """Run a command line that only reads, answered in ``lang`` as a reader of that language
    would see it (default: English); its :class:`UserError` becomes its answer."""
    incoming = Incoming.command_line(line, address=address(who), user=who.user)
    spec = app.core.commands.get(incoming.command)
    if spec is None:
        raise KeyError(incoming.command)
    ctx = Context(app.core, incoming, incoming.text, t=app.core.translator(lang))
    try:
        out = await spec.handler(ctx)
    except UserError as e:
        return [Reply.text(e.markup, *e.buttons)]
    return [out] if isinstance(out, Reply) else list(out)
