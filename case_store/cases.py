"""Case queries: save an imported case, load, list, change status."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.case_life import CaseLifeQueries, target_key
from case_store.clock import now
from case_store.tables import case_updates, cases, targets
from ua_bot.model import Case, CaseStatus, Target


def _target_row(case_id: int, pos: int, t: Target) -> dict[str, Any]:
    details = {
        k: getattr(t, k)
        for k in ("address", "emails", "phones", "faxes", "handles", "salutation", "notes")
    }
    details["key"] = t.key or secrets.token_hex(6)  # a target keeps its identity for good
    return {
        "case_id": case_id,
        "position": pos,
        "name": t.name,
        "title": t.title,
        "organisation": t.organisation,
        "is_copy": t.is_copy,
        "details": details,
    }


def _target_from_row(r: Any) -> Target:
    d = dict(r.details or {})
    d["key"] = target_key(r)
    return Target(name=r.name, title=r.title, organisation=r.organisation, is_copy=r.is_copy, **d)


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "ua_number": case.ua_number,
        "ua_written": case.ua_written or case.ua_number,
        "title": case.title,
        "summary": case.summary,
        "persons": list(case.persons),
        "country": case.country,
        "demands": list(case.demands),
        "deadline": case.deadline,
        "additional_information": case.additional_information,
        "issue_date": case.issue_date,
        "languages": list(case.languages),
        "letter": case.letter,
    }


class CaseQueries(CaseLifeQueries):
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def save_case(self, case: Case) -> Case:
        """Insert a case, or replace the content of the case with the same UA number.

        Status, counts and goal of an existing case are kept: re-importing updates it.
        """
        ts = now()
        existing = (
            await self.conn.execute(select(cases.c.id).where(cases.c.ua_number == case.ua_number))
        ).scalar()
        values = _case_values(case)
        if existing is None:
            res = await self.conn.execute(
                insert(cases).values(
                    **values, status=case.status.value, created_at=ts, updated_at=ts, extra={}
                )
            )
            case_id = res.inserted_primary_key[0]  # type: ignore[index]
        else:
            case_id = existing
            await self.conn.execute(
                update(cases).where(cases.c.id == case_id).values(**values, updated_at=ts)
            )
            await self.conn.execute(delete(targets).where(targets.c.case_id == case_id))
        if case.targets:
            await self.conn.execute(
                insert(targets),
                [_target_row(case_id, i + 1, t) for i, t in enumerate(case.targets)],
            )
        saved = await self.get_case(case_id=case_id)
        assert saved is not None
        return saved

    async def replace_case_if(self, case_id: int, case: Case, version: dt.datetime) -> bool:
        """Replace a case's content (UA number included) only if it is still at
        ``version`` (its ``updated_at``): checked in the ``UPDATE`` itself, so of two
        writers of one version exactly one wins. ``False``: someone changed it first."""
        res = await self.conn.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.updated_at == version)
            .values(**_case_values(case), updated_at=now())
        )
        if res.rowcount != 1:
            return False
        await self.conn.execute(delete(targets).where(targets.c.case_id == case_id))
        if case.targets:
            await self.conn.execute(
                insert(targets),
                [_target_row(case_id, i + 1, t) for i, t in enumerate(case.targets)],
            )
        return True

    async def get_case(
        self, *, case_id: int | None = None, ua: str | None = None, life: bool = True
    ) -> Case | None:
        q = select(cases)
        q = (
            q.where(cases.c.id == case_id)
            if case_id is not None
            else q.where(cases.c.ua_number == ua)
        )
        row = (await self.conn.execute(q)).first()
        if row is None:
            return None
        trows = (
            await self.conn.execute(
                select(targets).where(targets.c.case_id == row.id).order_by(targets.c.position)
            )
        ).all()
        case = case_from_row(row, [_target_from_row(t) for t in trows])
        if life:
            case.latest_update = await self.latest_update(row.id)
            keys = [t.key for t in case.targets]
            case.translations = await self.case_translations(row.id, keys)
        return case

    async def list_cases(self, statuses: tuple[str, ...] | None = None) -> list[Case]:
        q = select(cases.c.id)
        if statuses:
            q = q.where(cases.c.status.in_(statuses))
        ids = (await self.conn.execute(q.order_by(cases.c.id))).scalars().all()
        out = []
        for cid in ids:
            c = await self.get_case(case_id=cid, life=False)
            if c:
                out.append(c)
        await self.attach_life(out)  # two queries for all the cases, not two per case
        return out

    async def set_status(
        self, case_id: int, status: CaseStatus, outcome: str | None = None
    ) -> None:
        ts = now()
        values: dict[str, Any] = {"status": status.value, "updated_at": ts}
        if status == CaseStatus.PUBLISHED:
            # The first publication stays: reopening a case does not restart its clock.
            values["published_at"] = func.coalesce(cases.c.published_at, ts)
            values["closed_at"] = None
        if status == CaseStatus.CLOSED:
            values["closed_at"] = ts
        if outcome is not None:
            values["outcome"] = outcome
        await self.conn.execute(update(cases).where(cases.c.id == case_id).values(**values))

    async def set_goal(self, case_id: int, goal: int | None) -> None:
        await self.conn.execute(
            update(cases).where(cases.c.id == case_id).values(goal=goal, updated_at=now())
        )

    async def add_update(
        self,
        case_id: int,
        text: str,
        outcome: str = "",
        deadline: dt.date | None = None,
        details: dict | None = None,
    ) -> int:
        res = await self.conn.execute(
            insert(case_updates).values(
                case_id=case_id,
                text=text,
                outcome=outcome,
                deadline=deadline,
                details=details or {},
                created_at=now(),
            )
        )
        # The card shows the update at once: the case changed (and took the update's outcome).
        values: dict[str, Any] = {"updated_at": now()}
        if outcome:
            values["outcome"] = outcome
        await self.conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
        return int(res.inserted_primary_key[0])  # type: ignore[index]

    async def count_cases(self) -> int:
        return (await self.conn.execute(select(func.count()).select_from(cases))).scalar_one()

    async def cases_version(self) -> tuple:
        """A cheap fingerprint that changes whenever any case changes."""
        row = (await self.conn.execute(select(func.count(), func.max(cases.c.updated_at)))).first()
        return tuple(row) if row else ()


def case_from_row(row: Any, tlist: list[Target]) -> Case:
    return Case(
        id=row.id,
        ua_number=row.ua_number,
        ua_written=row.ua_written,
        title=row.title,
        summary=row.summary,
        persons=list(row.persons or []),
        country=row.country,
        demands=list(row.demands or []),
        targets=tlist,
        deadline=row.deadline,
        additional_information=row.additional_information,
        status=CaseStatus(row.status),
        outcome=row.outcome,
        issue_date=row.issue_date,
        languages=list(row.languages or []),
        letter=row.letter,
        goal=row.goal,
        late_appeals=str((row.extra or {}).get("late_appeals", "")),
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        closed_at=row.closed_at,
    )
