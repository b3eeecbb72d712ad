"""The command table: one list that /help, Telegram's menu and the Slack manifest are made from.

``@command`` only marks a handler with its :class:`CommandSpec`; the table is built
explicitly (``ua_bot.handlers.command_table``) and given to the core.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ua_bot.messages import Reply

# A handler takes a ``ua_bot.context.Context`` (which sits above this table, so it is not
# named here: the context's services include the table).
Handler = Callable[[Any], Awaitable["list[Reply] | Reply"]]
H = TypeVar("H", bound=Callable[[Any], Awaitable[Any]])


@dataclass(frozen=True)
class CommandSpec:
    """One command: its name, how to call it, who may, and what it does."""

    name: str
    handler: Handler
    description: str
    args: str = ""
    aliases: tuple[str, ...] = ()
    organiser: bool = False
    # an organiser command a workspace admin may also run, scoped to their own workspace
    # (UA_BOT_WORKSPACE_ADMINS_ARE_ORGANISERS): its channels, its figures
    workspace_scoped: bool = False
    # a supporter's own data: refused to a sender speaking in a chat's name (anonymous)
    personal: bool = False
    # hands out something personal (a sign-in link, a name, one's actions): outside a private
    # chat the core answers "I sent it to you in a private chat" and marks the answer
    # ``Reply.direct``, which an adapter delivers by direct message or not at all
    private_chat: bool = False
    # changes what a group chat receives: in a group, only its admins (when the platform says)
    group_admin: bool = False
    # the handler learns the supporter's language from its own write (a confirmation
    # returns it), so the core does not read it first; see Context.t
    lang_from_write: bool = False
    hidden: bool = False

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.args}".strip()


class CommandTable:
    """Commands by name and alias, in the order they were registered."""

    @classmethod
    def of(cls, specs: Iterable[CommandSpec]) -> CommandTable:
        table = cls()
        for spec in specs:
            table.register(spec)
        return table

    def __init__(self) -> None:
        self._specs: list[CommandSpec] = []
        self._by_name: dict[str, CommandSpec] = {}

    def register(self, spec: CommandSpec) -> None:
        for name in (spec.name, *spec.aliases):
            if name in self._by_name:
                raise ValueError(f"command /{name} registered twice")
            self._by_name[name] = spec
        self._specs.append(spec)

    def get(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name.lower())

    def public(self, organiser: bool = False) -> list[CommandSpec]:
        """Commands to list for a user (organiser commands only for organisers)."""
        return [s for s in self._specs if not s.hidden and (organiser or not s.organiser)]

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self._specs)


def command(name: str, description: str, **kw: Any) -> Callable[[H], H]:
    """Decorator: mark ``fn`` as the handler of ``/name`` (it registers nothing)."""

    def deco(fn: H) -> H:
        fn.command_spec = CommandSpec(name=name, handler=fn, description=description, **kw)  # type: ignore[attr-defined]
        return fn

    return deco
