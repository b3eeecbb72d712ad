"""How cases look in chat: the case card, demands, targets, deadline wording."""

from __future__ import annotations

import datetime as dt

from ua_bot import markup as md
from ua_bot.messages import Button, Buttons, Reply, Text
from ua_bot.model import Case, CaseStatus, Target

SOFT_DEADLINE = "UA deadlines are soft: check with your section if sending appeals after this date."


def long_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def deadline_line(case: Case, today: dt.date) -> str:
    if case.deadline is None:
        return "*Deadline:* none given: act as soon as possible."
    left = case.days_left(today) or 0
    when = long_date(case.deadline)
    if left > 1:
        return f"*Deadline:* {when} ({left} days left)"
    if left == 1:
        return f"*Deadline:* {when} (tomorrow)"
    if left == 0:
        return f"*Deadline:* {when} (today)"
    return f"*Deadline:* {when}: the deadline has passed. {SOFT_DEADLINE}"


def title_line(case: Case) -> str:
    return f"*UA {md.esc(case.ua_number)}: {md.esc(case.title)}*"


def case_card(case: Case, today: dt.date, supporters: int, actions: int) -> Reply:
    lines = [title_line(case)]
    if case.status == CaseStatus.DRAFT:
        lines.append("_Draft: supporters cannot see this case until it is published._")
    if case.status == CaseStatus.CLOSED:
        closed = "This case is closed"
        lines.append(f"*{closed}*" + (f": {md.esc(case.outcome)}" if case.outcome else "."))
    if case.persons:
        lines.append("*People at risk:* " + md.esc(", ".join(case.persons)))
    if case.country:
        lines.append("*Country:* " + md.esc(case.country))
    if case.summary:
        lines += ["", md.esc(case.summary), ""]
    if case.status != CaseStatus.CLOSED:
        lines.append(deadline_line(case, today))
    if supporters:
        lines.append(f"{plural(supporters, 'supporter')} took {plural(actions, 'action')} so far.")
    else:
        lines.append("No one has recorded an action yet: be the first.")
    ua = case.ua_number
    rows = [[Button("Demands", f"/demands {ua}"), Button("Targets", f"/targets {ua}")]]
    if case.status == CaseStatus.PUBLISHED:
        rows.append([Button("I took action", f"/took_action {ua}")])
    elif case.status == CaseStatus.DRAFT:
        rows.append([Button("Publish", f"/publish {ua}")])
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = ua
    return reply


def demands_text(case: Case) -> str:
    lines = [f"*What we ask for UA {md.esc(case.ua_number)}:*"]
    lines += [f"{i}. {md.esc(d)}" for i, d in enumerate(case.demands, 1)]
    if case.languages:
        lines.append("_Write in " + md.esc(", ".join(case.languages)) + " or your own language._")
    return "\n".join(lines)


def target_text(n: int, t: Target) -> str:
    head = f"*{n}. {md.esc(t.name)}*"
    if t.title:
        head += f", {md.esc(t.title)}"
    if t.is_copy:
        head += " _(copy)_"
    lines = [head]
    if t.organisation:
        lines.append(md.esc(t.organisation))
    lines += [md.esc(a) for a in t.address]
    lines += [f"Email: {md.link(e, 'mailto:' + e)}" for e in t.emails]
    lines += [f"Phone: {md.link(p, 'tel:' + p.replace(' ', ''))}" for p in t.phones]
    lines += [f"Fax: {md.esc(f)}" for f in t.faxes]
    lines += [f"Twitter/X: {md.esc(h)}" for h in t.handles]
    if t.salutation:
        lines.append(f"Salutation: _{md.esc(t.salutation)}_")
    lines += [f"Note: {md.esc(x)}" for x in t.notes]
    return "\n".join(lines)


def draft_buttons(case: Case) -> list[list[Button]]:
    """Per target, a row of buttons for the drafts its channels allow (``Email 2``)."""
    rows = []
    for i, t in enumerate(case.targets, 1):
        label = f" {i}" if len(case.targets) > 1 else ""
        rows.append(
            [Button(f"{c.capitalize()}{label}", f"/{c} {case.ua_number} {i}") for c in t.channels()]
        )
    return rows


def targets_reply(case: Case) -> Reply:
    if not case.targets:
        return Reply.text(f"UA {md.esc(case.ua_number)} lists no officials to contact.")
    body = [f"*Who to contact for UA {md.esc(case.ua_number)}:*"]
    body += ["\n" + target_text(i, t) for i, t in enumerate(case.targets, 1)]
    rows = []
    if case.status == CaseStatus.PUBLISHED:
        rows += draft_buttons(case)
        rows.append([Button("I took action", f"/took_action {case.ua_number}")])
    reply = Reply([Text("\n".join(body)), *([Buttons.of(*rows)] if rows else [])])
    reply.meta["case"] = case.ua_number
    return reply
