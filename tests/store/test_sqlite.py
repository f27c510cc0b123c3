"""What only the SQLite file backend does; the shared contract is in test_backends.py."""
from __future__ import annotations

import pytest

from echolot.store import SQLiteStore


def test_not_a_store(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="not an echolot store"):
        SQLiteStore(path)
