"""The case model: an Urgent Action with its people at risk, demands and targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class CaseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class ActionType(StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    CALL = "call"
    FAX = "fax"
    TWEET = "tweet"


ACTION_TYPES: tuple[str, ...] = tuple(a.value for a in ActionType)

# Outcomes that end the need to act: the case card says so and stops asking for action.
GOOD_NEWS: tuple[str, ...] = (
    "released",
    "freed",
    "acquitted",
    "charges dropped",
    "case closed",
)


def is_good_news(outcome: str) -> bool:
    """``released: she was freed on 1 March`` is good news; ``sentenced`` is not."""
    head = outcome.strip().lower()
    if not head:
        return False
    return any(head == w or head.startswith((w + ":", w + " ", w + ".")) for w in GOOD_NEWS)


@dataclass
class CaseUpdate:
    """What happened after the case was published, as an organiser told it."""

    text: str
    outcome: str = ""
    created_at: dt.datetime | None = None
    lang: str = ""  # "" the case's own language; a code when an organiser's translation


@dataclass
class CaseText:
    """A case's own words in one language: a translation an organiser added."""

    title: str = ""
    summary: str = ""
    demands: list[str] = field(default_factory=list)
    salutations: list[str] = field(default_factory=list)  # one per target, "" keeps the original
    persons: list[str] = field(default_factory=list)
    # The latest update and the case's outcome, each with the words it translates: a
    # translation of an update that has since been replaced is not shown.
    update: str = ""
    update_source: str = ""
    outcome: str = ""
    outcome_source: str = ""
    # The English each part was translated from ({} when unknown): a part whose English has
    # changed since is out of date (``ua_bot.cases.translations``).
    sources: dict[str, Any] = field(default_factory=dict)


@dataclass
class Target:
    """An official to contact, with every channel the document gives."""

    name: str
    title: str = ""
    organisation: str = ""
    address: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    salutation: str = ""
    notes: list[str] = field(default_factory=list)
    is_copy: bool = False
    # Stable identity across edits, reorders and re-imports (assigned by the store); what
    # a translated salutation and a pending revision refer to.
    key: str = field(default="", compare=False)

    def channels(self) -> list[str]:
        """The action types this target can receive."""
        out = []
        if self.address:
            out.append(ActionType.LETTER.value)
        if self.emails:
            out.append(ActionType.EMAIL.value)
        if self.phones:
            out.append(ActionType.CALL.value)
        if self.faxes:
            out.append(ActionType.FAX.value)
        if self.handles:
            out.append(ActionType.TWEET.value)
        return out

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["key"]
        return out


@dataclass
class Case:
    """An Urgent Action case as the bot knows it."""

    ua_number: str
    title: str
    summary: str = ""
    persons: list[str] = field(default_factory=list)
    country: str = ""
    demands: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadline: dt.date | None = None
    additional_information: str = ""
    status: CaseStatus = CaseStatus.DRAFT
    outcome: str = ""
    ua_written: str = ""
    issue_date: dt.date | None = None
    languages: list[str] = field(default_factory=list)
    letter: str = ""
    goal: int | None = None
    latest_update: CaseUpdate | None = None
    translations: dict[str, CaseText] = field(default_factory=dict)
    text_lang: str = "en"  # the language of title, summary, demands and salutations
    outcome_text: str = ""  # the outcome in ``text_lang`` when an organiser translated it
    english_parts: list[str] = field(default_factory=list)  # a translation's missing parts
    # after the deadline: "encourage", "check" or "stop" late appeals ("": the deployment's
    # UA_BOT_LATE_APPEALS, filled in by the case cache); see ua_bot/late_appeals.py
    late_appeals: str = ""
    id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def stored_id(self) -> int:
        """The id of a case read from the store (a draft not yet saved has none)."""
        if self.id is None:
            raise ValueError(f"UA {self.ua_number} is not stored yet")
        return self.id

    @property
    def good_news(self) -> bool:
        """The outcome says the people are safe: nothing more to ask of supporters."""
        return is_good_news(self.outcome)

    def days_left(self, today: dt.date) -> int | None:
        """Days until the (soft) deadline; negative once it has passed."""
        return None if self.deadline is None else (self.deadline - today).days

    def target(self, number: int) -> Target | None:
        """The target by its 1-based number, or ``None``."""
        return self.targets[number - 1] if 1 <= number <= len(self.targets) else None

    def to_json(self) -> dict[str, Any]:
        """The import/export JSON shape (dates as ISO strings)."""
        return {
            "ua_number": self.ua_number,
            "title": self.title,
            "persons": list(self.persons),
            "country": self.country,
            "summary": self.summary,
            "demands": list(self.demands),
            "targets": [t.to_json() for t in self.targets],
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "additional_information": self.additional_information,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "languages": list(self.languages),
            "letter": self.letter,
        }
