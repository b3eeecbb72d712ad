"""How cases look in chat: the case card, demands, targets, deadline wording.

Every function takes the reader's :class:`~ua_bot.i18n.Translator` (English by default, as
for broadcasts); button payloads stay commands in any language, only labels are translated.
"""

from __future__ import annotations

import datetime as dt

from ua_bot.case_texts import english_part, update_words
from ua_bot.drafting import phones
from ua_bot.drafting.drafts import language, salutation
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.markup import doc_text, esc, link
from ua_bot.messages import Button, Buttons, Reply, Text
from ua_bot.model import Case, CaseStatus, Target


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def deadline_line(case: Case, today: dt.date, t: Translator = ENGLISH) -> str:
    if case.deadline is None:
        return t("deadline.none")
    left = case.days_left(today) or 0
    when = esc(t.date(case.deadline))
    if left > 1:
        return t("deadline.days", date=when, days=left)
    if left == 1:
        return t("deadline.tomorrow", date=when)
    if left == 0:
        return t("deadline.today", date=when)
    return t("deadline.passed", date=when, soft=t("deadline.soft"))


def title_line(case: Case) -> str:
    return f"*UA {esc(case.ua_number)}: {esc(case.title)}*"


def quoted(text: str) -> str:
    """A text kept in the case's own language, as a block apart from the sentences around
    it: ``> released: she was freed``."""
    return "\n".join("> " + doc_text(line) for line in text.splitlines() if line.strip())


def update_line(case: Case, t: Translator = ENGLISH) -> str | None:
    """``*Update, 1 March 2026:* released: they were freed.`` for the case's latest update;
    a reader of another language gets it as a quoted block said to be in English."""
    up = case.latest_update
    if up is None:
        return None
    when = esc(t.date(up.created_at.date())) if up.created_at else ""
    raw = update_words(up)
    if not t.english and up.lang != t.lang:
        return t("case.update_english", date=when) + "\n" + quoted(raw)
    return t("case.update", date=when, text=doc_text(raw))


def totals_line(case: Case, supporters: int, actions: int, t: Translator = ENGLISH) -> str:
    """How many acted; a case that needs no more action gives its final count."""
    ended = case.status == CaseStatus.CLOSED or case.good_news
    if not supporters:
        return t("case.none_acted") if ended else t("case.first")
    counts = {
        "supporters": t.n("case.supporters", supporters),
        "actions": t.n("case.actions", actions),
    }
    return t("case.final", **counts) if ended else t("case.totals", **counts)


def case_card(
    case: Case, today: dt.date, supporters: int, actions: int, t: Translator = ENGLISH
) -> Reply:
    lines = [title_line(case)]
    if case.status == CaseStatus.DRAFT:
        lines.append(t("case.draft"))
    if case.status == CaseStatus.CLOSED:
        closed = t("case.closed")
        if case.outcome_text:
            lines.append(f"*{closed}*: {esc(case.outcome_text)}")
        elif case.outcome and not t.english:
            lines += [f"*{closed}.* " + t("case.quoted"), quoted(case.outcome)]
        else:
            lines.append(f"*{closed}*" + (f": {esc(case.outcome)}" if case.outcome else "."))
    elif case.good_news:
        if t.english or case.outcome_text:
            outcome = case.outcome_text or case.outcome
            lines.append(t("case.good_news", outcome=esc(outcome)))
        else:
            lines += [t("case.good_news_quoted"), quoted(case.outcome)]
    def foreign(part: str) -> bool:  # the case's words for ``part`` are English
        return not t.english and english_part(case, t.lang, part)

    if case.persons and foreign("persons"):
        lines += [t("case.persons_quoted"), quoted(", ".join(case.persons))]
    elif case.persons:
        lines.append(t("case.persons", persons=esc(", ".join(case.persons))))
    if case.country:
        lines.append(t("case.country", country=esc(t.country(case.country))))
    if case.summary and foreign("summary"):
        lines += ["", t("case.quoted"), quoted(case.summary), ""]
    elif case.summary:
        lines += ["", doc_text(case.summary), ""]
    update = update_line(case, t)
    if update:
        lines += [update, ""] if case.summary else ["", update, ""]
    asks = case.status != CaseStatus.CLOSED and not case.good_news
    if asks:
        lines.append(deadline_line(case, today, t))
    lines.append(totals_line(case, supporters, actions, t))
    ua = case.ua_number
    rows = [
        [
            Button(t("button.demands"), f"/demands {ua}"),
            Button(t("button.targets"), f"/targets {ua}"),
        ]
    ]
    if case.status == CaseStatus.PUBLISHED and asks:
        rows.append([Button(t("button.took_action"), f"/took_action {ua}")])
    elif case.status == CaseStatus.DRAFT:
        rows.append([Button(t("button.publish"), f"/publish {ua}")])
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = ua
    return reply


def demands_text(case: Case, t: Translator = ENGLISH) -> str:
    lines = [t("demands.title", ua=esc(case.ua_number))]
    if not t.english and english_part(case, t.lang, "demands"):
        lines += [
            t("case.quoted"),
            quoted("\n".join(f"{i}. {d}" for i, d in enumerate(case.demands, 1))),
        ]
    else:
        lines += [f"{i}. {doc_text(d)}" for i, d in enumerate(case.demands, 1)]
    if case.languages:
        lines.append(t("demands.languages", languages=esc(", ".join(case.languages))))
    return "\n".join(lines)


def target_text(n: int, target: Target, t: Translator = ENGLISH, text_lang: str = "en") -> str:
    head = f"*{n}. {esc(target.name)}*"
    if target.title:
        head += f", {esc(target.title)}"
    if target.is_copy:
        head += " " + t("targets.copy")
    lines = [head]
    if target.organisation:
        lines.append(esc(target.organisation))
    lines += [esc(a) for a in target.address]
    lines += [t("targets.email", email=link(e, "mailto:" + e)) for e in target.emails]
    lines += [
        t("targets.phone", phone=link(phones.readable(p), "tel:" + phones.e164(p)))
        for p in target.phones
    ]
    lines += [t("targets.fax", fax=esc(phones.readable(f))) for f in target.faxes]
    lines += [t("targets.handle", handle=esc(h)) for h in target.handles]
    if target.salutation:  # the one the reader's drafts open with
        greeting = salutation(target, language(t.lang), text_lang)
        lines.append(t("targets.salutation", salutation=esc(greeting)))
    for note in target.notes:
        if t.english or text_lang == t.lang:
            lines.append(t("targets.note", note=esc(note)))
        else:  # the document's own words, not the reader's language: quoted apart
            lines += [t("targets.note_quoted"), quoted(note)]
    return "\n".join(lines)


def draft_buttons(case: Case, t: Translator = ENGLISH) -> list[list[Button]]:
    """Per target, a row of buttons for the drafts its channels allow (``Email 2``)."""
    rows = []
    for i, target in enumerate(case.targets, 1):
        label = f" {i}" if len(case.targets) > 1 else ""
        rows.append(
            [
                Button(t(f"kind.{channel}") + label, f"/{channel} {case.ua_number} {i}")
                for channel in target.channels()
            ]
        )
    return rows


def targets_reply(case: Case, t: Translator = ENGLISH) -> Reply:
    if not case.targets:
        return Reply.text(t("targets.none", ua=esc(case.ua_number)))
    body = [t("targets.title", ua=esc(case.ua_number))]
    body += [
        "\n" + target_text(i, target, t, case.text_lang) for i, target in enumerate(case.targets, 1)
    ]
    rows = []
    if case.status == CaseStatus.PUBLISHED:
        rows += draft_buttons(case, t)
        rows.append([Button(t("button.took_action"), f"/took_action {case.ua_number}")])
    reply = Reply([Text("\n".join(body)), *([Buttons.of(*rows)] if rows else [])])
    reply.meta["case"] = case.ua_number
    return reply
