"""Persistence behind one interface; `open_store` picks the backend from settings."""
from __future__ import annotations

from pathlib import Path

from echolot.settings import Settings
from echolot.store.base import Store
from echolot.store.postgres import is_url
from echolot.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "open_store", "store_url"]


def store_url(settings: Settings) -> str | None:
    """The postgresql:// URL the settings name, or None for the SQLite file."""
    db = str(settings.db) if settings.db is not None else ""
    if db.startswith(("postgresql:/", "postgres:/")) and not is_url(db):  # a URL that went through Path()
        db = db.replace(":/", "://", 1)
    return db if is_url(db) else None


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) the store named by the settings: a SQLite file or a postgresql:// URL."""
    url = store_url(settings)
    if url is not None:
        from echolot.store.postgres import PostgresStore

        return PostgresStore(url)
    return SQLiteStore(Path(settings.db_path))
