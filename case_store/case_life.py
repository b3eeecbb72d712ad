"""A case's life after import: its latest update and its texts in other languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.clock import now
from case_store.tables import case_translations, case_updates, cases, targets
from ua_bot.model import Case, CaseText, CaseUpdate


def target_key(r: Any) -> str:
    """A target row's stable key (rows stored before keys existed: from their row id)."""
    return (r.details or {}).get("key") or f"r{r.id}"


def _in_order(stored: Any, keys: list[str]) -> list[str]:
    """Salutations kept by target key, in the targets' current order ("" for none).

    A list is how they were kept before targets had keys: by position, as it is.
    """
    if not isinstance(stored, dict):
        return list(stored or [])
    out = [str(stored.get(k, "")) for k in keys]
    while out and not out[-1]:
        out.pop()
    return out


def _by_key(salutations: list[str], keys: list[str]) -> dict[str, str]:
    return {k: s for k, s in zip(keys, salutations, strict=False) if s}


def _text_from_row(r: Any, keys: list[str]) -> CaseText:
    sources = dict(r.sources or {})
    if "salutations" in sources:
        sources["salutations"] = _in_order(sources["salutations"], keys)
    return CaseText(
        title=r.title,
        summary=r.summary,
        demands=list(r.demands or []),
        salutations=_in_order(r.salutations, keys),
        persons=list(r.persons or []),
        **_news_from_row(getattr(r, "news", None)),
        sources=sources,
    )


def _news_from_row(news: Any) -> dict[str, str]:
    """The translated update and outcome, each beside the words it translates."""
    out: dict[str, str] = {}
    for part in ("update", "outcome"):
        pair = (news or {}).get(part) if isinstance(news, dict) else None
        if isinstance(pair, list) and len(pair) == 2:
            out[f"{part}_source"], out[part] = str(pair[0]), str(pair[1])
    return out


class CaseLifeQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def latest_update(self, case_id: int) -> CaseUpdate | None:
        """The case's newest update, or ``None``."""
        q = (
            select(case_updates.c.text, case_updates.c.outcome, case_updates.c.created_at)
            .where(case_updates.c.case_id == case_id)
            .order_by(case_updates.c.id.desc())
            .limit(1)
        )
        row = (await self.conn.execute(q)).first()
        return CaseUpdate(row.text, row.outcome, row.created_at) if row else None

    async def attach_life(self, cases_: list[Case]) -> None:
        """Give each case its latest update and its translations."""
        ids = [c.id for c in cases_ if c.id is not None]
        if not ids:
            return
        newest = (
            select(func.max(case_updates.c.id))
            .where(case_updates.c.case_id.in_(ids))
            .group_by(case_updates.c.case_id)
        )
        q = select(case_updates).where(case_updates.c.id.in_(newest))
        updates = {
            r.case_id: CaseUpdate(r.text, r.outcome, r.created_at)
            for r in (await self.conn.execute(q)).all()
        }
        texts: dict[int, dict[str, CaseText]] = {}
        keys = {c.id: [t.key for t in c.targets] for c in cases_}
        q = select(case_translations).where(case_translations.c.case_id.in_(ids))
        for r in (await self.conn.execute(q)).all():
            texts.setdefault(r.case_id, {})[r.lang] = _text_from_row(r, keys[r.case_id])
        for c in cases_:
            if c.id is not None:
                c.latest_update = updates.get(c.id)
                c.translations = texts.get(c.id, {})

    async def target_keys(self, case_id: int) -> list[str]:
        """The keys of the case's targets, in their order."""
        q = (
            select(targets.c.id, targets.c.details)
            .where(targets.c.case_id == case_id)
            .order_by(targets.c.position)
        )
        return [target_key(r) for r in (await self.conn.execute(q)).all()]

    async def case_translations(
        self, case_id: int, keys: list[str] | None = None
    ) -> dict[str, CaseText]:
        """Every translation of the case's texts, by language code; salutations in the order
        of the targets (``keys``, read when not given) they were written for."""
        if keys is None:
            keys = await self.target_keys(case_id)
        q = select(case_translations).where(case_translations.c.case_id == case_id)
        return {r.lang: _text_from_row(r, keys) for r in (await self.conn.execute(q)).all()}

    async def set_case_translation(
        self,
        case_id: int,
        lang: str,
        *,
        title: str = "",
        summary: str = "",
        demands: list[str] | None = None,
        salutations: list[str] | None = None,
        persons: list[str] | None = None,
        update: str = "",
        update_source: str = "",
        outcome: str = "",
        outcome_source: str = "",
        sources: dict[str, Any] | None = None,
    ) -> None:
        """Add or replace the case's texts in ``lang`` (a blank field keeps the original).

        ``salutations`` are one per target in the case's current order, and are kept by
        target key: a salutation follows its target wherever the targets move. ``sources``
        is the English the parts were translated from (salutations the same way).
        """
        lang = lang.strip().lower()
        ts = now()
        news = {
            part: [source, text]
            for part, source, text in (
                ("update", update_source, update),
                ("outcome", outcome_source, outcome),
            )
            if text
        }
        keys = await self.target_keys(case_id)
        sources = dict(sources or {})
        if isinstance(sources.get("salutations"), list):
            sources["salutations"] = _by_key(sources["salutations"], keys)
        await self.conn.execute(
            delete(case_translations).where(
                case_translations.c.case_id == case_id, case_translations.c.lang == lang
            )
        )
        await self.conn.execute(
            insert(case_translations).values(
                case_id=case_id,
                lang=lang,
                title=title,
                summary=summary,
                demands=list(demands or []),
                salutations=_by_key(list(salutations or []), keys),
                persons=list(persons or []),
                news=news or None,
                sources=sources,
                updated_at=ts,
            )
        )
        await self._touch_case(case_id, ts)

    async def delete_case_translation(self, case_id: int, lang: str) -> bool:
        res = await self.conn.execute(
            delete(case_translations).where(
                case_translations.c.case_id == case_id,
                case_translations.c.lang == lang.strip().lower(),
            )
        )
        if res.rowcount:
            await self._touch_case(case_id, now())
        return bool(res.rowcount)

    async def _touch_case(self, case_id: int, ts: dt.datetime) -> None:
        """Mark the case changed, so every process's case cache reloads it."""
        await self.conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=ts))
