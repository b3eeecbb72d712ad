"""Which of a case's contacts supporters report broken, and how replies say it.

The counting is in :mod:`case_store.attempts`; here, which warnings still hold (the contact
an organiser has since corrected holds none) and their wording.
"""

from __future__ import annotations

from case_store import ContactWarning, Store
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.markup import esc
from ua_bot.model import Case, Target

# the channel of a target each action type is counted against
FIELDS = {"email": "emails", "call": "phones", "fax": "faxes", "letter": "address"}


def contact_of(target: Target, channel: str) -> str:
    """The first contact of the channel (what a draft uses), as one string."""
    values = getattr(target, FIELDS.get(channel, ""), None) or []
    if channel == "letter":
        return " / ".join(values)
    return values[0] if values else ""


def health_target(case: Case, target_no: int, channel: str) -> int:
    """The official a report is counted against: the one named, else the first able one
    (the drafts' default)."""
    if target_no:
        return target_no
    for i, target in enumerate(case.targets, 1):
        if channel in target.channels():
            return i
    return 0


async def active_warnings(store: Store, case: Case) -> list[ContactWarning]:
    """The case's warnings whose contact is still the one reported broken."""
    if case.id is None:
        return []
    async with store.unit() as tx:
        rows = await tx.contact_warnings(case.id)
    out = []
    for r in rows:
        target = case.target(r.target_no)
        if target is not None and contact_of(target, r.channel) == r.contact:
            out.append(ContactWarning(r.target_no, r.channel, r.contact))
    return out


def warning_text(case: Case, w: ContactWarning, t: Translator = ENGLISH) -> str:
    """``Several supporters report this e-mail address bounces; try the fax.``"""
    target = case.targets[w.target_no - 1]
    others = [c for c in target.channels() if c not in (w.channel, "tweet")]
    if others:
        kinds = [t(f"health.the_{c}") for c in others]
        listed = (
            kinds[0]
            if len(kinds) == 1
            else t("draft.or", first=", ".join(kinds[:-1]), last=kinds[-1])
        )
        instead = t("health.try", kinds=listed)
    else:
        instead = t("health.try_other")
    return t(
        f"health.{w.channel}",
        name=esc(target.name),
        contact=esc(w.contact),
        instead=instead,
    )


async def warning_lines(
    store: Store,
    case: Case,
    t: Translator = ENGLISH,
    *,
    target_no: int | None = None,
    channel: str | None = None,
) -> list[str]:
    """The case's warnings as lines, for one target and channel or all."""
    return [
        warning_text(case, w, t)
        for w in await active_warnings(store, case)
        if (target_no is None or w.target_no == target_no)
        and (channel is None or w.channel == channel)
    ]
