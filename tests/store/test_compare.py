"""`store.compare`: a store's rows as content, clock columns and dict order in the clusterer's blob aside."""
from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import numpy as np

from echolot.store.compare import canonical, contents, digest


def _blob(meta: dict[str, int]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), x=np.arange(3))
    return buffer.getvalue()


def test_the_same_state_with_another_dict_order_is_the_same_content() -> None:
    assert _blob({"a": 1, "b": 2}) != _blob({"b": 2, "a": 1})
    assert canonical(_blob({"a": 1, "b": 2})) == canonical(_blob({"b": 2, "a": 1}))
    assert canonical(b"PK but no archive") == b"PK but no archive"


def test_rows_compare_in_any_order_and_without_their_clock(tmp_path: Path) -> None:
    stores = []
    for name, rows in (("a.db", [(1, "x", "09:00"), (2, "y", "09:01")]), ("b.db", [(2, "y", "10:00"), (1, "x", "10:05")])):
        with sqlite3.connect(tmp_path / name) as conn:
            conn.execute("CREATE TABLE t (id INTEGER, v TEXT, ingested_at TEXT)")
            conn.executemany("INSERT INTO t VALUES (?,?,?)", rows)
        stores.append(tmp_path / name)
    assert contents(stores[0]) == contents(stores[1]) == {"t": [(1, "x"), (2, "y")]}
    assert digest(stores[0]) == digest(stores[1])
