"""A store built once per test session from examples/demo with the fast hashing encoder.

Read-only tests share it; tests that write get their own copy (`writable_settings`).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from echolot.settings import ApiSettings, EncoderSettings, Settings

TOKEN = "t0k3n-for-tests-only"
LOCAL = ("127.0.0.1", 50000)


def fast_settings(home: Path) -> Settings:
    """Hashing vectors everywhere: the plumbing, not the quality, is under test here."""
    base = Settings(home=home, encoder=EncoderSettings(backend="hashing"))
    return base.with_overrides({"stories.encoder": "hashing", "quotes.encoder": "hashing",
                                "narratives.encoder": "hashing"})


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from echolot.cli.demo import DEMO_DIR
    from echolot.pipeline import ingest, run_stages
    from echolot.store import open_store

    home = tmp_path_factory.mktemp("demo_home")
    settings = replace(fast_settings(home), db=home / "demo.db")
    store = open_store(settings)
    try:
        ingest([str(DEMO_DIR)], store, settings, progress=False)
        run_stages(store, settings, progress=False)
    finally:
        store.close()
    return home / "demo.db"


@pytest.fixture(scope="session")
def demo_settings(demo_db: Path) -> Settings:
    return replace(fast_settings(demo_db.parent), db=demo_db, api=ApiSettings(token=TOKEN))


@pytest.fixture(scope="session")
def client(demo_settings: Settings) -> TestClient:
    """Read-only client on the shared demo store (server errors come back as 500 responses)."""
    from echolot.server import create_app

    return TestClient(create_app(demo_settings), client=LOCAL, raise_server_exceptions=False)


@pytest.fixture()
def writable_settings(demo_db: Path, tmp_path: Path) -> Settings:
    """A private copy of the demo store for tests that ingest."""
    db = tmp_path / "copy.db"
    src = sqlite_backup(demo_db, db)
    return replace(fast_settings(tmp_path / "home"), db=src, api=ApiSettings(token=TOKEN, max_documents=5,
                                                                             max_body_bytes=200_000))


def sqlite_backup(src: Path, dst: Path) -> Path:
    """Copy a WAL-mode SQLite file consistently (the online backup API, not a file copy)."""
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def article_ids(client: TestClient) -> list[str]:
    out, cursor = [], None
    while True:
        page = client.get("/api/v1/articles", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
        out += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return out

