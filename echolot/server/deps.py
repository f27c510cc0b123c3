"""Per-request store handles and the small caches the read routes share.

Each request opens its own store connection (SQLite in WAL mode serves many readers
beside the one writer, so an ingest can run while the API answers). Whole-table
reads that every list route needs (stories, entities) are parsed once and kept
until the store file changes: the key is the size and modification time of the
database and its WAL file, which every commit changes.
"""
from __future__ import annotations

import os
import threading
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from echolot.settings import Settings
from echolot.store import Store, open_store


class TableCache:
    """{name: (signature, value)} shared by the request threads; rebuilt when the store file changes."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.lock = threading.Lock()
        self.values: dict[str, tuple[tuple[int, ...], Any]] = {}

    def signature(self) -> tuple[int, ...]:
        out: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(str(self.db_path) + suffix)
                out += [st.st_size, st.st_mtime_ns]
            except OSError:
                out += [-1, -1]
        return tuple(out)

    def get(self, name: str, build: Callable[[], Any]) -> Any:
        sig = self.signature()
        with self.lock:
            hit = self.values.get(name)
            if hit is not None and hit[0] == sig:
                return hit[1]
        value = build()
        with self.lock:
            self.values[name] = (sig, value)
        return value


class CachedStore:
    """A store whose list_stories/list_entities come from the TableCache; everything else passes through.

    Callers must not mutate what those two return (the query modules only read them).
    """

    def __init__(self, store: Store, cache: TableCache) -> None:
        self._store = store
        self._cache = cache

    def list_stories(self) -> list[dict[str, Any]]:
        return self._cache.get("stories", self._store.list_stories)

    def list_entities(self) -> list[dict[str, Any]]:
        return self._cache.get("entities", self._store.list_entities)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class StorePool:
    """One open store per worker thread, reused across requests.

    Opening a store runs its schema script and pragmas, which costs more than most
    reads; a connection per thread avoids that while keeping SQLite's rule of one
    connection per thread. Autocommit reads see every committed write. A handle that
    raised a database error is closed and replaced on the next request.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.local = threading.local()

    def _inode(self) -> int:
        try:
            return os.stat(self.settings.db_path).st_ino
        except OSError:
            return -1

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        handle = getattr(self.local, "store", None)
        inode = self._inode()
        if handle is not None and getattr(self.local, "inode", None) != inode:
            handle.close()  # the file was replaced (e.g. `echolot demo` rebuilt it): reopen
            handle = None
        if handle is None:
            handle = open_store(self.settings)
            self.local.store, self.local.inode = handle, self._inode()
        try:
            yield handle
        except Exception as exc:
            if _is_db_error(exc):
                self.local.store = None
                handle.close()
            raise


def _is_db_error(exc: BaseException) -> bool:
    import sqlite3

    return isinstance(exc, sqlite3.Error)


@contextmanager
def request_store(settings: Settings, cache: TableCache | None = None, pool: StorePool | None = None) -> Iterator[Store]:
    """The store for one request: borrowed from `pool` when given, else opened and closed around it."""
    if pool is not None:
        with pool.borrow() as handle:
            yield CachedStore(handle, cache) if cache is not None else handle
        return
    handle = open_store(settings)
    try:
        yield CachedStore(handle, cache) if cache is not None else handle
    finally:
        handle.close()


class Backend:
    """What the routes share: the settings, the per-thread store pool and the table cache."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = TableCache(settings.db_path)
        self.pool = StorePool(settings)

    def store(self) -> AbstractContextManager[Store]:
        """Context manager giving the request's store (with cached stories/entities lists)."""
        return request_store(self.settings, self.cache, self.pool)
