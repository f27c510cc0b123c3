"""Persistence behind one interface; `open_store` picks the backend from settings."""
from __future__ import annotations

from pathlib import Path

from echolot.settings import Settings
from echolot.store.base import Store
from echolot.store.sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) the store named by the settings."""
    path = Path(settings.db_path)
    if str(path).startswith("postgresql://"):
        raise NotImplementedError("the PostgreSQL backend is not available yet; use a file path")
    return SQLiteStore(path)
