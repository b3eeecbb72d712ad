"""Persistence for ua-bot: SQLAlchemy 2 async tables, the store API and Alembic migrations.

``ua_bot`` reaches the store through these names only (``tests/test_import_rules.py``).
"""

from case_store.actions import ActionRequest, ActionResult
from case_store.attempts import FAILED, OUTCOMES, ContactWarning
from case_store.batching import Batcher
from case_store.budget import Budget, bucket_for, budget_for
from case_store.clock import Clock, now
from case_store.db import create_engine_for, is_sqlite
from case_store.migrate import NotMigrated, prepare_schema
from case_store.outbox import Audience
from case_store.outbox_claims import Claimed, Outcome
from case_store.outbox_tables import CANCELLED, DONE, SENDING
from case_store.stats import CountRow
from case_store.store import Store, Tx
from case_store.supporters import KEEP

__all__ = [
    "CANCELLED",
    "DONE",
    "FAILED",
    "KEEP",
    "OUTCOMES",
    "SENDING",
    "ActionRequest",
    "ActionResult",
    "Audience",
    "Batcher",
    "Budget",
    "Claimed",
    "Clock",
    "ContactWarning",
    "CountRow",
    "NotMigrated",
    "Outcome",
    "Store",
    "Tx",
    "bucket_for",
    "budget_for",
    "create_engine_for",
    "is_sqlite",
    "now",
    "prepare_schema",
]
