"""CSV export of action counts: one row per case, day, type, target and platform.

Rows with an empty ``failed`` are actions done (they sum to the case's total); a row with
``failed`` set (voicemail, no_answer, dead, bounced, failed) counts attempts that supporters
said failed, which are not actions done. Attempts = both together.

Counts only, from the running totals: no supporter key, chat or workspace appears. The
counts are exact (the file sums to the case totals), so it is meant for organisers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from case_store import FAILED, Store
from ua_bot.model import Case
from ua_bot.stats import target_label
from ua_bot.ua_number import ua_slug

COLUMNS = (
    "ua_number",
    "day",
    "action_type",
    "target_no",
    "target",
    "platform",
    "failed",
    "count",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Document text that a spreadsheet would run as a formula is quoted."""
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass(frozen=True)
class Export:
    data: bytes
    rows: int
    actions: int

    def filename(self, cases: Sequence[Case]) -> str:
        if len(cases) == 1:
            return f"{ua_slug(cases[0].ua_number)}-actions.csv"
        return "ua-actions.csv"


async def export_csv(store: Store, cases: Sequence[Case]) -> Export:
    """The CSV (UTF-8, header first) of the given cases' counts."""
    by_id = {c.id: c for c in cases if c.id is not None}
    async with store.unit() as tx:
        rows = await tx.export_rows(list(by_id))
        outcomes = await tx.outcome_rows(list(by_id))
    failed = [r for r in outcomes if r.outcome in FAILED]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    total = 0
    for r in rows:
        case = by_id[r.case_id]
        n = int(r.count)
        total += n
        target = _cell(target_label(case, r.target_no))
        w.writerow(
            [
                case.ua_number,
                r.day.isoformat(),
                r.action_type,
                r.target_no,
                target,
                r.platform,
                "",
                n,
            ]
        )
    for r in failed:
        case = by_id[r.case_id]
        target = _cell(target_label(case, r.target_no))
        w.writerow(
            [
                case.ua_number,
                r.day.isoformat(),
                r.action_type,
                r.target_no,
                target,
                r.platform,
                r.outcome,
                int(r.count),
            ]
        )
    return Export(buf.getvalue().encode("utf-8"), len(rows) + len(failed), total)
