"""How an attempt went (an outcome per recorded action), failures per channel, contact warnings.

A supporter's outcome is written on their own ``actions`` row (no new identity is kept). A
failed attempt (voicemail, no answer, a dead number, a bounce, a failed fax) is taken out of
the running totals of actions done (``action_counts``, ``cases.actions_count``) and counted
in ``outcome_counts`` instead, so reports count attempts, completions and failures apart.

When different supporters report the same official's channel broken (a dead number, a
bounce, a failed fax) within :data:`WINDOW`, the channel gets a ``contact_warnings`` row:
the targets card and the drafts say so, and organisers are told once. The warning ends
when the contact changes (an organiser corrected it) or an organiser confirms it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    distinct,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.supporters import dialect_insert
from case_store.tables import (
    action_counts,
    actions,
    case_supporters,
    cases,
    metadata,
    supporters,
)

# Every outcome a supporter may tap, per action type; the first of each is a completion.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "call": ("through", "voicemail", "no_answer", "dead"),
    "email": ("sent", "bounced"),
    "fax": ("went", "failed"),
    "letter": ("posted",),
}
DONE = frozenset({"through", "sent", "went", "posted"})
# The channel itself does not work: these count towards a contact warning.
BROKEN = frozenset({"dead", "bounced", "failed"})
FAILED = frozenset(o for kinds in OUTCOMES.values() for o in kinds) - DONE
WINDOW = dt.timedelta(days=7)
REPORTERS = 3  # different supporters within WINDOW before a channel is marked

outcome_counts = Table(
    "outcome_counts",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("action_type", String(16), primary_key=True),
    Column("target_no", Integer, primary_key=True),
    Column("outcome", String(16), primary_key=True),
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("count", Integer, nullable=False, default=0),
)

contact_warnings = Table(
    "contact_warnings",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("target_no", Integer, primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("contact", Text, nullable=False, default=""),  # the value reported broken
    Column("since", DateTime(timezone=True), nullable=False),  # reports counted from here
    Column("warned_at", DateTime(timezone=True), nullable=True),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)


@dataclass(frozen=True)
class OutcomeResult:
    """What became of an outcome tap."""

    status: str  # "noted", "none" (no such action), "already" (an outcome was given)
    failed: bool = False
    newly_warned: bool = False  # this report made the channel's warning: tell organisers


@dataclass(frozen=True)
class ContactWarning:
    """An active contact warning: ``channel`` of target ``target_no`` is reported broken."""

    target_no: int
    channel: str
    contact: str


def _aware(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t


class AttemptQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def set_outcome(
        self,
        supporter_key: str,
        case_id: int,
        action_type: str,
        target_no: int,
        outcome: str,
        health_target: int,
        contact: str,
    ) -> OutcomeResult:
        """Note how the supporter's latest such action went, once.

        ``health_target`` and ``contact``: the official and the contact value a broken
        channel is counted against (0: none).
        """
        a = actions.c
        row = (
            await self.conn.execute(
                select(a.id, a.outcome, a.platform, a.workspace, a.day, a.supporter_id)
                .join(supporters, supporters.c.id == a.supporter_id)
                .where(
                    supporters.c.key == supporter_key,
                    a.case_id == case_id,
                    a.action_type == action_type,
                    a.target_no == target_no,
                )
                .order_by(a.id.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return OutcomeResult("none")
        if row.outcome:
            return OutcomeResult("already", failed=row.outcome in FAILED)
        await self.conn.execute(update(actions).where(a.id == row.id).values(outcome=outcome))
        failed = outcome in FAILED
        if failed:
            cell = and_(
                action_counts.c.case_id == case_id,
                action_counts.c.action_type == action_type,
                action_counts.c.target_no == target_no,
                action_counts.c.platform == row.platform,
                action_counts.c.workspace == row.workspace,
                action_counts.c.day == row.day,
            )
            await self.conn.execute(
                update(action_counts).where(cell).values(count=action_counts.c.count - 1)
            )
            # a supporter whose every attempt on the case failed has not acted on it (yet)
            done_left = (
                await self.conn.execute(
                    select(func.count()).where(
                        a.supporter_id == row.supporter_id,
                        a.case_id == case_id,
                        a.outcome.not_in(sorted(FAILED)),
                    )
                )
            ).scalar_one()
            lost = 0
            if not done_left:
                cs = case_supporters.c
                lost = (
                    await self.conn.execute(
                        delete(case_supporters).where(
                            cs.case_id == case_id, cs.supporter_id == row.supporter_id
                        )
                    )
                ).rowcount or 0
            await self.conn.execute(
                update(cases)
                .where(cases.c.id == case_id)
                .values(
                    actions_count=cases.c.actions_count - 1,
                    supporters_count=cases.c.supporters_count - lost,
                )
            )
        ins = dialect_insert(self.conn, outcome_counts)
        await self.conn.execute(
            ins.on_conflict_do_update(
                index_elements=[
                    "case_id",
                    "action_type",
                    "target_no",
                    "outcome",
                    "platform",
                    "workspace",
                    "day",
                ],
                set_={"count": outcome_counts.c.count + 1},
            ),
            {
                "case_id": case_id,
                "action_type": action_type,
                "target_no": target_no,
                "outcome": outcome,
                "platform": row.platform,
                "workspace": row.workspace,
                "day": row.day,
                "count": 1,
            },
        )
        warned = False
        if outcome in BROKEN and health_target:
            warned = await self._weigh_channel(case_id, health_target, action_type, contact)
        return OutcomeResult("noted", failed=failed, newly_warned=warned)

    async def _weigh_channel(
        self, case_id: int, target_no: int, channel: str, contact: str
    ) -> bool:
        """Mark the channel once enough different supporters reported it broken."""
        w = contact_warnings.c
        key = and_(w.case_id == case_id, w.target_no == target_no, w.channel == channel)
        ts = now()
        cur = (await self.conn.execute(select(contact_warnings).where(key))).first()
        since = ts - WINDOW
        if cur is not None:
            if cur.warned_at is not None and cur.ended_at is None and cur.contact == contact:
                return False  # already marked and told
            if cur.contact == contact:  # confirmed by an organiser: count reports after it
                since = max(since, _aware(cur.since))
        a = actions.c
        # the channel's reports: broken outcomes on this target, or on no target when the
        # drafts went to this one (the first able); counted by distinct supporters
        targets_q = [target_no, 0] if target_no else [0]
        reporters = (
            await self.conn.execute(
                select(func.count(distinct(a.supporter_id))).where(
                    a.case_id == case_id,
                    a.action_type == channel,
                    a.target_no.in_(targets_q),
                    a.outcome.in_(sorted(BROKEN)),
                    a.created_at >= since,
                )
            )
        ).scalar_one()
        if reporters < REPORTERS:
            return False
        values = {"contact": contact, "since": ts, "warned_at": ts, "ended_at": None}
        if cur is None:
            await self.conn.execute(
                contact_warnings.insert().values(
                    case_id=case_id, target_no=target_no, channel=channel, **values
                )
            )
        else:
            await self.conn.execute(update(contact_warnings).where(key).values(**values))
        return True

    async def contact_warnings(self, case_id: int) -> list[Any]:
        """The case's warning rows that were raised and not ended (check ``contact``)."""
        w = contact_warnings.c
        q = (
            select(w.target_no, w.channel, w.contact, w.warned_at)
            .where(w.case_id == case_id, w.warned_at.is_not(None), w.ended_at.is_(None))
            .order_by(w.target_no, w.channel)
        )
        return list((await self.conn.execute(q)).all())

    async def end_contact_warning(self, case_id: int, target_no: int, channel: str) -> bool:
        """An organiser confirmed the contact: the warning ends, reports count anew."""
        w = contact_warnings.c
        ts = now()
        res = await self.conn.execute(
            update(contact_warnings)
            .where(
                w.case_id == case_id,
                w.target_no == target_no,
                w.channel == channel,
                w.warned_at.is_not(None),
                w.ended_at.is_(None),
            )
            .values(ended_at=ts, since=ts)
        )
        return bool(res.rowcount)

    async def outcome_rows(self, case_ids: list[int]) -> list[Any]:
        """Outcome counts per case, day, type, target, outcome and platform."""
        if not case_ids:
            return []
        c = outcome_counts.c
        n = func.sum(c.count).label("count")
        q = (
            select(c.case_id, c.day, c.action_type, c.target_no, c.outcome, c.platform, n)
            .where(c.case_id.in_(case_ids))
            .group_by(c.case_id, c.day, c.action_type, c.target_no, c.outcome, c.platform)
            .having(func.sum(c.count) > 0)
            .order_by(c.case_id, c.day, c.action_type, c.target_no, c.outcome, c.platform)
        )
        return list((await self.conn.execute(q)).all())

    async def unfail_outcome(self, row: Any) -> None:
        """Undo of an action with an outcome: take its outcome count back."""
        c = outcome_counts.c
        await self.conn.execute(
            update(outcome_counts)
            .where(
                c.case_id == row.case_id,
                c.action_type == row.action_type,
                c.target_no == row.target_no,
                c.outcome == row.outcome,
                c.platform == row.platform,
                c.workspace == row.workspace,
                c.day == row.day,
            )
            .values(count=c.count - 1)
        )

    async def queue_contact_notice(
        self, case_id: int, target_no: int, channel: str, addresses: list[str]
    ) -> int:
        """Queue one message (kind ``contact``) to each organiser address through the outbox;
        returns the rows queued."""
        from case_store.outbox_tables import PENDING, SENDING, broadcasts, outbox

        ts = now()
        key = f"{case_id}:contact:{target_no}:{channel}:{ts:%Y%m%d%H%M%S%f}"
        bid = (
            await self.conn.execute(
                broadcasts.insert()
                .values(
                    key=key[:64],
                    case_id=case_id,
                    kind="contact",
                    state=SENDING,
                    total=len(addresses),
                    sent=0,
                    failed=0,
                    gone=0,
                    cancelled=0,
                    created_at=ts,
                    updated_at=ts,
                )
                .returning(broadcasts.c.id)
            )
        ).scalar_one()
        rows = [
            {
                "broadcast_id": bid,
                "address": a,
                "platform": a.split(":", 1)[0],
                "state": PENDING,
                "attempts": 0,
                "due_at": ts,
            }
            for a in dict.fromkeys(addresses)
        ]
        if rows:
            await self.conn.execute(outbox.insert(), rows)
        return len(rows)
