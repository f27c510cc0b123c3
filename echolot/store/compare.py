"""What a SQLite store holds, as comparable content: two runs (one process or several workers, a
first run or a rerun) wrote the same results when these are equal. Used by `bench/pipeline.py`
and the worker identity tests."""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

CLOCK_COLUMNS = {"ingested_at", "at"}  # when a row was written: differs between any two runs


def canonical(value: Any) -> Any:
    """A stored value as content: an .npz blob (the stories clusterer's state) as its arrays and its JSON
    with sorted keys, since the order of a dict in it follows Python's per-process string hashing
    (two one-process runs differ there too); anything else as it is."""
    if not isinstance(value, bytes) or not value.startswith(b"PK"):
        return value
    try:
        with zipfile.ZipFile(io.BytesIO(value)) as archive:
            names = sorted(archive.namelist())
        arrays = np.load(io.BytesIO(value))
        out = []
        for name in names:
            array = arrays[name.removesuffix(".npy")]
            if name == "meta.npy":
                out.append(json.dumps(json.loads(array.tobytes()), sort_keys=True).encode())
            else:
                out.append(array.tobytes())
        return tuple(out)
    except Exception:
        return value


def contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (clock columns left out, values `canonical`), rows sorted."""
    out = {}
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in CLOCK_COLUMNS]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted((tuple(canonical(v) for v in row) for row in rows), key=repr)
    return out


def digest(db: Path) -> dict[str, str]:
    """A short hash per table of `contents`: equal digests, equal results."""
    return {table: hashlib.sha256("\n".join(repr(r) for r in rows).encode()).hexdigest()[:16]
            for table, rows in contents(db).items()}
