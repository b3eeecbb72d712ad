"""Persistence for ua-bot: SQLAlchemy 2 async tables, the store API and Alembic migrations."""

from case_store.db import create_engine_for, is_sqlite
from case_store.store import Store

__all__ = ["Store", "create_engine_for", "is_sqlite"]
