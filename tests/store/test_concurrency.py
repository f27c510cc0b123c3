"""Readers during an ingest never see "database is locked"; writers queue; analysis runs one at a time."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from echolot.model import Article
from echolot.store import SQLiteStore


def _reader(db: Path, stop: threading.Event, counts: dict[str, int], errors: list[str]) -> None:
    """What a server does per request: open the store, read a few things, close it."""
    while not stop.is_set():
        try:
            with SQLiteStore(db) as store:
                rows = store.list_articles(limit=20)
                store.count_articles()
                store.search("Meldung", limit=5)
                if rows:
                    store.get_article(rows[-1]["id"])
                store.pending("reuse")
                store.failed()
            counts["reads"] += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")


def test_readers_never_see_locked_during_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    n = 400
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(
            f"Meldung {i}\n\nDie Behörde teilte am Morgen mit, Vorgang {i} werde geprüft. Ergebnisse folgen bald.")
    db = tmp_path / "store.db"
    SQLiteStore(db).close()  # the server serves an existing store
    stop = threading.Event()
    counts = {"reads": 0}
    errors: list[str] = []
    readers = [threading.Thread(target=_reader, args=(db, stop, counts, errors)) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        # many small write transactions: every 10 articles one commit
        done = subprocess.run([sys.executable, "-m", "echolot", "--db", str(db), "--set", "ingest.batch_size=10",
                               "ingest", str(folder), "--no-analyze", "--json"],
                              capture_output=True, text=True, timeout=300, env=dict(os.environ, OMP_NUM_THREADS="1"))
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert done.returncode == 0, done.stderr
    assert errors == []
    assert counts["reads"] > 20  # the readers really ran alongside
    with SQLiteStore(db) as store:
        assert store.count_articles() == n


def _writer(db: Path, worker: int, errors: list[str]) -> None:
    try:
        with SQLiteStore(db) as store:
            for round_ in range(40):
                ids = store.add_articles([Article(id=f"w{worker}-{round_}-{k}", text=f"text {worker} {round_} {k}")
                                          for k in range(5)])
                store.mark_done("reuse", ids)
                store.put_annotations("quotes", ids[0], [{"round": round_}])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


def test_concurrent_writers_are_serialised(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    SQLiteStore(db).close()
    errors: list[str] = []
    threads = [threading.Thread(target=_writer, args=(db, w, errors)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with SQLiteStore(db) as store:
        assert store.count_articles() == 4 * 40 * 5
        assert len(store.done_ids("reuse")) == 4 * 40 * 5
        assert store.index_problems() == []


_HOLD = """
import sys, time
from echolot.store import SQLiteStore
with SQLiteStore(sys.argv[1]) as store, store.exclusive():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_analysis_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    SQLiteStore(db).close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with SQLiteStore(db) as store:
            with pytest.raises(TimeoutError, match="another process"), store.exclusive(timeout=0.3):
                pass
            started = time.monotonic()
            with store.exclusive():  # waits for the holder to finish
                waited = time.monotonic() - started
        assert waited > 0.5
    finally:
        holder.wait(timeout=30)
    # a holder killed with SIGKILL does not leave the lock behind
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    with SQLiteStore(db) as store, store.exclusive(timeout=5):
        pass


def test_opening_a_current_store_never_waits_for_a_writer(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "store.db"
    SQLiteStore(db).close()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a long write transaction in progress elsewhere
    writer.execute("INSERT INTO state VALUES ('k', x'00')")
    try:
        started = time.monotonic()
        with SQLiteStore(db) as reader:
            assert reader.count_articles() == 0 and reader.get_state("k") is None  # last committed state
        assert time.monotonic() - started < 2.0
    finally:
        writer.execute("COMMIT")
        writer.close()


def test_an_older_store_gains_the_new_tables_on_open(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.db"
    SQLiteStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE stage_failed")  # as a store written before the table existed
    with SQLiteStore(db) as store:
        store.mark_failed("reuse", {"x": "boom"})
        assert store.failed()[0]["error"] == "boom"
