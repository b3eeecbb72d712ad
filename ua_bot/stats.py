"""Organiser figures for a case, computed from the running totals (never from the history).

Definitions, as the reports use them:

- *actions*, *supporters who acted*: the case's running totals (exact).
- *by type / target / platform / day / workspace*: sums of ``action_counts`` cells. These are
  "scoped smaller than the whole case", so reports show a count from 1 to ``small - 1`` as
  ``<small`` (:func:`small`): no single supporter can be singled out. Zero stays 0.
- *share of subscribers who acted*: distinct subscribed supporters (a supporter with at least
  one subscription, in any chat) who recorded an action on the case, over all distinct
  subscribed supporters.
- *time to first action*: from :func:`reference_time` (today the case's first publication)
  to the first action recorded at or after it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from case_store import CountRow, Store, Tx
from ua_bot.model import ACTION_TYPES, Case


def small(n: int, threshold: int) -> str:
    """A breakdown count as shown to organisers: ``<5`` for 1 to 4, else the number."""
    return f"<{threshold}" if 0 < n < threshold else f"{n:,}"


@dataclass(frozen=True)
class Reference:
    """The moment supporters were asked to act, and how the reply names it."""

    at: dt.datetime
    label: str  # "publication", later "the first broadcast"


async def reference_time(tx: Tx, case: Case) -> Reference | None:
    """When supporters were first asked to act on ``case``.

    Today this is the case's first publication. Once broadcasts are recorded, return the
    time of the case's first broadcast here (labelled "the first broadcast") and fall back
    to the publication when there is none: this is the only place to change.
    """
    if case.published_at is None:
        return None
    return Reference(_utc(case.published_at), "publication")


def _utc(t: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC datetimes; PostgreSQL aware ones."""
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


@dataclass
class WorkspaceStats:
    """The share of a case's actions recorded from one workspace."""

    actions: int = 0
    by_type: Counter[str] = field(default_factory=Counter)


@dataclass
class CaseStats:
    """Every figure ``/stats UA`` shows, from one read of the running totals."""

    case: Case
    supporters: int
    actions: int
    by_type: Counter[str]
    by_target: Counter[Any]
    by_platform: Counter[Any]
    by_day: Counter[Any]
    by_day_type: Counter[Any]  # (day, type) -> count, for the chart
    subscribers_acted: int
    subscribers: int
    reference: Reference | None
    first_action: dt.datetime | None
    workspace: WorkspaceStats | None = None

    @property
    def first_action_after(self) -> dt.timedelta | None:
        if self.reference is None or self.first_action is None:
            return None
        return _utc(self.first_action) - self.reference.at

    @property
    def goal_share(self) -> float | None:
        goal = self.case.goal
        return self.actions / goal if goal else None


def aggregate(
    rows: list[CountRow], platform: str = "", workspace: str = ""
) -> dict[str, Counter[Any]]:
    """Sum running-total cells along each dimension (and for one workspace, if given)."""
    kinds = ("type", "target", "platform", "day", "day_type", "ws_type")
    out: dict[str, Counter[Any]] = {k: Counter() for k in kinds}
    for r in rows:
        out["type"][r.action_type] += r.count
        out["target"][r.target_no] += r.count
        out["platform"][r.platform] += r.count
        out["day"][r.day] += r.count
        out["day_type"][(r.day, r.action_type)] += r.count
        if workspace and r.workspace == workspace and r.platform == platform:
            out["ws_type"][r.action_type] += r.count
    for t in ACTION_TYPES:
        out["type"].setdefault(t, 0)
    return out


async def case_stats(
    store: Store, case: Case, *, platform: str = "", workspace: str = ""
) -> CaseStats:
    """The figures for one case; ``workspace`` (with its platform) adds that workspace's share."""
    assert case.id is not None
    async with store.unit() as tx:
        supporters, actions = await tx.case_totals(case.id)
        rows = await tx.count_rows(case.id)
        acted, subscribers = await tx.subscriber_share(case.id)
        ref = await reference_time(tx, case)
        first = await tx.first_action_since(case.id, ref.at) if ref else None
    agg = aggregate(rows, platform, workspace)
    ws = None
    if workspace:
        ws = WorkspaceStats(sum(agg["ws_type"].values()), agg["ws_type"])
    return CaseStats(
        case=case,
        supporters=supporters,
        actions=actions,
        by_type=agg["type"],
        by_target=agg["target"],
        by_platform=agg["platform"],
        by_day=agg["day"],
        by_day_type=agg["day_type"],
        subscribers_acted=acted,
        subscribers=subscribers,
        reference=ref,
        first_action=first,
        workspace=ws,
    )


def target_label(case: Case, target_no: int) -> str:
    """A target's name by its number; 0 is "no specific target"."""
    if target_no == 0:
        return "no specific target"
    t = case.target(target_no)
    return t.name if t else f"target {target_no} (no longer listed)"


def duration(delta: dt.timedelta) -> str:
    """``2 days 3 h``, ``4 h 12 min``, ``7 min``, ``under a minute``."""
    secs = int(delta.total_seconds())
    if secs < 60:
        return "under a minute"
    days, rest = divmod(secs, 86_400)
    hours, rest = divmod(rest, 3_600)
    mins = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min"
