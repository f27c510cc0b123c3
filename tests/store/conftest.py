"""Store fixtures: every contract test runs on SQLite and on a real PostgreSQL server.

The server is the one named by $ECHOLOT_TEST_PG_URL (`.ci/run` starts one and exports
it); without it a throwaway cluster is started here for the session (see pgserver.py).
Tests are skipped, with the reason, only when neither works. Each test gets a fresh
schema, dropped afterwards, so tests never see each other's rows.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

import pytest

from tests.store import pgserver


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL server the tests may create schemas in."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[dev]')")
    url = os.environ.get("ECHOLOT_TEST_PG_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="echolot-pg-")
    try:
        url = pgserver.start(folder)
    except pgserver.NoServer as exc:
        pgserver.stop(folder)
        pytest.skip(f"ECHOLOT_TEST_PG_URL is unset and no PostgreSQL server could be started: {exc}")
    try:
        yield url
    finally:
        pgserver.stop(folder)


def with_schema(url: str, schema: str) -> str:
    """`url` with the search_path set to `schema` (libpq's `options` parameter)."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture()
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A URL whose tables land in a new, empty schema (dropped after the test)."""
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(pg_url, schema)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class StoreFactory:
    """Opens connections to one fresh store; closes them all at the end of the test."""

    def __init__(self, name: str, opener: Callable[[], Any], integrity_error: type[Exception]) -> None:
        self.name = name
        self._opener = opener
        self.integrity_error = integrity_error
        self.opened: list[Any] = []

    def __call__(self) -> Any:
        store = self._opener()
        self.opened.append(store)
        return store

    def close_all(self) -> None:
        for store in self.opened:
            try:
                store.close()
            except Exception:
                pass


@pytest.fixture(params=["sqlite", "postgres"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Call it to open (another connection to) the test's store, on each backend in turn."""
    if request.param == "sqlite":
        import sqlite3

        from echolot.store import SQLiteStore

        factory = StoreFactory("sqlite", lambda: SQLiteStore(tmp_path / "s.db"), sqlite3.IntegrityError)
    else:
        import psycopg

        from echolot.store.postgres import PostgresStore

        url = request.getfixturevalue("pg_schema_url")
        factory = StoreFactory("postgres", lambda: PostgresStore(url), psycopg.IntegrityError)
    yield factory
    factory.close_all()
